import RealModule
/// Layer normalisation over the last axis.
extension Tape {
    /// (x - mean) / sqrt(var + eps) * gamma + beta over each row of the last
    /// axis; `gamma` and `beta` have the last axis's length.
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
                    let gp = gv.storage.pointer, bp = bv.storage.pointer
                    for r in 0..<rows {
                        let src = xv.storage.pointer + r * width
                        let mean = relaxedSum(src, width) / Float(width)
                        var variance: Float = 0
                        for j in 0..<width { let c = src[j] - mean; variance = Relaxed.multiplyAdd(c, c, variance) }
                        variance /= Float(width)
                        let inv = 1 / (variance + epsilon).squareRoot()
                        rs[r] = inv
                        for j in 0..<width {
                            let h = (src[j] - mean) * inv
                            n[r * width + j] = h
                            o[r * width + j] = h * gp[j] + bp[j]
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
                for r in 0..<rows { for j in 0..<width { dg[j] += gp[r * width + j] * hp[r * width + j] } }
            }
            tape.withGradient(of: beta) { db in
                for r in 0..<rows { for j in 0..<width { db[j] += gp[r * width + j] } }
            }
            tape.withGradient(of: x) { dx in
                let gamma = gv.storage.pointer
                for r in 0..<rows {
                    var meanD: Float = 0, meanDH: Float = 0
                    for j in 0..<width {
                        let dh = gp[r * width + j] * gamma[j]
                        meanD = Relaxed.sum(meanD, dh)
                        meanDH = Relaxed.multiplyAdd(dh, hp[r * width + j], meanDH)
                    }
                    meanD /= Float(width); meanDH /= Float(width)
                    let inv = rstd.storage.pointer[r]
                    for j in 0..<width {
                        let dh = gp[r * width + j] * gamma[j]
                        dx[r * width + j] += inv * (dh - meanD - hp[r * width + j] * meanDH)
                    }
                }
            }
        }
    }
}
