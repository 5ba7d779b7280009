import RealModule

/// One row's weighted ridge regression in implicit ALS: minimise
/// Σ_i c_i (p_i − x·y_i)² + λ|x|² over every column i, with p = 1 and
/// c = 1 + alpha on the observed columns, p = 0 and c = 1 elsewhere, that
/// is, solve (YᵀY + λI + alpha Σ_obs y yᵀ) x = (1 + alpha) Σ_obs y.
/// `gram` holds YᵀY + λI. Buffers are the solver's own (one per thread).
final class RowSolver {
    let f: Int
    let gram: UnsafePointer<Float>, other: UnsafePointer<Float>
    let alpha: Float, confidence: Float
    private var r: [Float], p: [Float], ap: [Float]

    init(factors: Int, gram: UnsafePointer<Float>, other: UnsafePointer<Float>, alpha: Float, confidence: Float) {
        f = factors
        self.gram = gram
        self.other = other
        self.alpha = alpha
        self.confidence = confidence
        r = [Float](repeating: 0, count: factors)
        p = r
        ap = r
    }

    /// `steps` conjugate-gradient steps from the row's current value `x`
    /// (as `implicit` does: A is applied as YᵀY p + alpha Σ_obs (y·p) y, never formed).
    func conjugateGradient(_ x: UnsafeMutablePointer<Float>, observed: [Int32], steps: Int) {
        let f = self.f
        r.withUnsafeMutableBufferPointer { rb in
            p.withUnsafeMutableBufferPointer { pb in
                ap.withUnsafeMutableBufferPointer { apb in
                    let r = rb.baseAddress!, p = pb.baseAddress!, ap = apb.baseAddress!
                    // r = b − A x = −G x + Σ_obs (c − alpha (y·x)) y
                    multiplyGram(x, into: r, negate: true)
                    for i in observed {
                        let y = other + Int(i) * f
                        let w = confidence - alpha * dot(y, x, f)
                        for j in 0..<f { r[j] += w * y[j] }
                    }
                    for j in 0..<f { p[j] = r[j] }
                    var rsold = dot(r, r, f)
                    guard rsold > 1e-20 else { return }
                    for _ in 0..<steps {
                        multiplyGram(p, into: ap, negate: false)
                        for i in observed {
                            let y = other + Int(i) * f
                            let w = alpha * dot(y, p, f)
                            for j in 0..<f { ap[j] += w * y[j] }
                        }
                        let a = rsold / dot(p, ap, f)
                        for j in 0..<f { x[j] += a * p[j]; r[j] -= a * ap[j] }
                        let rsnew = dot(r, r, f)
                        if rsnew < 1e-20 { break }
                        let beta = rsnew / rsold
                        for j in 0..<f { p[j] = r[j] + beta * p[j] }
                        rsold = rsnew
                    }
                }
            }
        }
    }

    /// The exact solution by Cholesky in Float64 (the check for the CG solver).
    func exact(_ x: UnsafeMutablePointer<Float>, observed: [Int32]) {
        let f = self.f
        var a = (0..<(f * f)).map { Double(gram[$0]) }, b = [Double](repeating: 0, count: f)
        for i in observed {
            let y = other + Int(i) * f
            for j in 0..<f {
                b[j] += Double(confidence * y[j])
                for k in 0...j { a[j * f + k] += Double(alpha * y[j] * y[k]) }
            }
        }
        let solution = Cholesky.solve(lowerOf: &a, b, n: f)
        for j in 0..<f { x[j] = Float(solution[j]) }
    }

    /// out = ±(YᵀY + λI) v.
    private func multiplyGram(_ v: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, negate: Bool) {
        for j in 0..<f {
            let s = dot(gram + j * f, v, f)
            out[j] = negate ? -s : s
        }
    }

    private func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s: Float = 0
        for j in 0..<n { s = Relaxed.multiplyAdd(a[j], b[j], s) }
        return s
    }
}
