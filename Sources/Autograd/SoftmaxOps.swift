import RealModule
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Softmax and log-softmax along the last axis.
extension Tape {
    /// e^x / Σ e^x over each row of the last axis.
    public func softmax(_ x: Variable) -> Variable {
        let xv = x.value
        let width = xv.lastDimension, rows = xv.rowCount
        var out = Tensor(uninitializedShape: xv.shape)
        out.withUnsafeMutableBufferPointer { o in
            for r in 0..<rows { softmaxRow(xv.storage.pointer + r * width, o.baseAddress! + r * width, width) }
        }
        let yv = out
        let x = x.handle
        return record(op: "softmax", value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in
                for r in 0..<rows {
                    let y = yv.storage.pointer + r * width, gr = g.storage.pointer + r * width
                    var dot: Float = 0
                    for j in 0..<width { dot += gr[j] * y[j] }
                    for j in 0..<width { d[r * width + j] += y[j] * (gr[j] - dot) }
                }
            }
        }
    }

    /// Softmax over each row of the last axis of `scale · x`, with the
    /// positions where `mask` is true left out (weight 0); a row with every
    /// position masked gives zeros. The mask may be shorter than `x` when
    /// `x`'s element count is a multiple of it (it repeats). This is
    /// attention's scale, mask and softmax as one pass (rows in parallel chunks).
    public func maskedSoftmax(_ x: Variable, scale: Float, mask: [Bool]) -> Variable {
        let xv = x.value
        let width = xv.lastDimension, rows = xv.rowCount
        require(!mask.isEmpty && xv.count % mask.count == 0 && mask.count % width == 0,
                AutogradError(op: "maskedSoftmax", "mask of \(mask.count) elements does not tile input \(xv.shape) by rows"))
        var out = Tensor(uninitializedShape: xv.shape)
        let period = mask.count
        out.withUnsafeMutableBufferPointer { o in
            let o = o.baseAddress!
            mask.withUnsafeBufferPointer { masked in
                ParallelRows.forEach(rows: rows, width: width) { chunk in
                    for r in chunk {
                        let src = xv.storage.pointer + r * width, y = o + r * width, skip = masked.baseAddress! + (r * width) % period
                        for j in 0..<width { y[j] = skip[j] ? -Float.infinity : scale * src[j] }
                        let m = vectorMax(y, width)
                        guard m > -Float.infinity else { y.update(repeating: 0, count: width); continue }
                        let inv = 1 / exponentiateShifted(y, y, width, shift: m)
                        for j in 0..<width { y[j] *= inv }
                    }
                }
            }
        }
        let yv = out
        let x = x.handle
        return record(op: "maskedSoftmax", value: out, inputs: [x]) { tape, g in
            tape.writeGradient(of: x) { d, fresh in
                ParallelRows.forEach(rows: rows, width: width) { chunk in
                    for r in chunk {
                        let y = yv.storage.pointer + r * width, gr = g.storage.pointer + r * width, dr = d + r * width
                        let dot = relaxedDot(gr, y, width)
                        if fresh { for j in 0..<width { dr[j] = scale * y[j] * (gr[j] - dot) } }
                        else { for j in 0..<width { dr[j] += scale * y[j] * (gr[j] - dot) } }
                    }
                }
            }
        }
    }

    /// x - log Σ e^x over each row of the last axis.
    public func logSoftmax(_ x: Variable) -> Variable {
        let xv = x.value
        let width = xv.lastDimension, rows = xv.rowCount
        var out = Tensor(uninitializedShape: xv.shape)
        out.withUnsafeMutableBufferPointer { o in
            for r in 0..<rows {
                let src = xv.storage.pointer + r * width
                let lse = logSumExp(src, width)
                for j in 0..<width { o[r * width + j] = src[j] - lse }
            }
        }
        let yv = out
        let x = x.handle
        return record(op: "logSoftmax", value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in
                for r in 0..<rows {
                    let y = yv.storage.pointer + r * width, gr = g.storage.pointer + r * width
                    var total: Float = 0
                    for j in 0..<width { total += gr[j] }
                    for j in 0..<width { d[r * width + j] += gr[j] - vectorExp(y[j]) * total }
                }
            }
        }
    }
}

/// log Σ e^x[j] over `width` values, shifted by the maximum for stability.
@inline(__always)
func logSumExp(_ x: UnsafePointer<Float>, _ width: Int) -> Float {
    let m = vectorMax(x, width)
    if m == -Float.infinity { return m }
    var s: Float = 0
    for j in 0..<width { s = Relaxed.sum(s, vectorExp(x[j] - m)) }
    return m + logf(s)
}

/// Writes the softmax of `width` values at `x` into `y`; returns log Σ e^x.
@inline(__always) @discardableResult
func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ width: Int) -> Float {
    let m = vectorMax(x, width)
    let s = exponentiateShifted(x, y, width, shift: m)
    let inv = 1 / s
    for j in 0..<width { y[j] *= inv }
    return m + logf(s)
}
