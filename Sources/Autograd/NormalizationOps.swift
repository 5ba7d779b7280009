/// Layer normalisation over the last axis.
extension Tape {
    /// (x - mean) / sqrt(var + eps) * gamma + beta over each row of the last
    /// axis; `gamma` and `beta` have the last axis's length. Rows run in
    /// parallel chunks (`ParallelRows`); each loop is a simple one over a row
    /// so that it vectorises.
    public func layerNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float = 1e-5) -> Variable {
        let xv = x.value, gv = gamma.value, bv = beta.value
        let width = xv.lastDimension, rows = xv.rowCount
        require(gv.count == width && bv.count == width,
                AutogradError(op: "layerNorm", "gamma \(gv.shape) and beta \(bv.shape) must have \(width) elements for input \(xv.shape)"))
        var out = Tensor(uninitializedShape: xv.shape)
        var normalized = Tensor(uninitializedShape: xv.shape)
        var inverseStd = Tensor(uninitializedShape: [rows])
        out.withUnsafeMutableBufferPointer { o in
            normalized.withUnsafeMutableBufferPointer { n in
                inverseStd.withUnsafeMutableBufferPointer { rs in
                    let o = o.baseAddress!, n = n.baseAddress!, rs = rs.baseAddress!
                    let gp = gv.storage.pointer, bp = bv.storage.pointer
                    ParallelRows.forEach(rows: rows, width: width) { chunk in
                        for r in chunk {
                            let src = xv.storage.pointer + r * width, h = n + r * width, y = o + r * width
                            let mean = relaxedSum(src, width) / Float(width)
                            for j in 0..<width { h[j] = src[j] - mean }
                            let inv = 1 / (relaxedDot(h, h, width) / Float(width) + epsilon).squareRoot()
                            rs[r] = inv
                            for j in 0..<width { h[j] *= inv }
                            for j in 0..<width { y[j] = h[j] * gp[j] + bp[j] }
                        }
                    }
                }
            }
        }
        let xhat = normalized, rstd = inverseStd
        let x = x.handle, gamma = gamma.handle, beta = beta.handle
        return record(op: "layerNorm", value: out, inputs: [x, gamma, beta]) { tape, g in
            let gp = g.storage.pointer, hp = xhat.storage.pointer
            tape.withGradient(of: gamma) { dg in
                for r in 0..<rows { let gr = gp + r * width, hr = hp + r * width; for j in 0..<width { dg[j] += gr[j] * hr[j] } }
            }
            tape.withGradient(of: beta) { db in
                for r in 0..<rows { let gr = gp + r * width; for j in 0..<width { db[j] += gr[j] } }
            }
            tape.writeGradient(of: x) { dx, fresh in
                let gamma = gv.storage.pointer
                ParallelRows.forEach(rows: rows, width: width) { chunk in
                    let dh = UnsafeMutablePointer<Float>.allocate(capacity: width)
                    defer { dh.deallocate() }
                    for r in chunk {
                        let gr = gp + r * width, hr = hp + r * width, d = dx + r * width
                        for j in 0..<width { dh[j] = gr[j] * gamma[j] }
                        let meanD = relaxedSum(dh, width) / Float(width), meanDH = relaxedDot(dh, hr, width) / Float(width)
                        let inv = rstd.storage.pointer[r]
                        if fresh { for j in 0..<width { d[j] = inv * (dh[j] - meanD - hr[j] * meanDH) } }
                        else { for j in 0..<width { d[j] += inv * (dh[j] - meanD - hr[j] * meanDH) } }
                    }
                }
            }
        }
    }
}
