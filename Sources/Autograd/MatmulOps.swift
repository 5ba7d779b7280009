/// Matrix products through OpenBLAS `cblas_sgemm`.
extension Tape {
    /// Checks shapes for `op(a) · op(b)` and returns (m, k, n).
    public static func matmulShape(_ a: [Int], _ b: [Int], transposeA: Bool, transposeB: Bool)
        -> Result<(m: Int, k: Int, n: Int), AutogradError> {
        guard a.count == 2, b.count == 2 else {
            return .failure(AutogradError(op: "matmul", "needs two matrices, got shapes \(a) and \(b)"))
        }
        let (m, ka) = transposeA ? (a[1], a[0]) : (a[0], a[1])
        let (kb, n) = transposeB ? (b[1], b[0]) : (b[0], b[1])
        guard ka == kb else {
            return .failure(AutogradError(op: "matmul",
                "inner sizes differ: \(a)\(transposeA ? "ᵀ" : "") · \(b)\(transposeB ? "ᵀ" : "") (\(ka) vs \(kb))"))
        }
        return .success((m, ka, n))
    }

    /// `op(a) · op(b)` where `op` transposes when asked.
    public func matmul(_ a: Variable, _ b: Variable,
                       transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let av = a.value, bv = b.value
        let dims: (m: Int, k: Int, n: Int)
        switch Tape.matmulShape(av.shape, bv.shape, transposeA: transposeA, transposeB: transposeB) {
        case .success(let d): dims = d
        case .failure(let e): fail(e)
        }
        let (m, k, n) = dims
        var out = Tensor(uninitializedShape: [m, n])
        out.withUnsafeMutableBufferPointer { c in
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                 a: av.storage.pointer, b: bv.storage.pointer, beta: 0, c: c.baseAddress!)
        }
        let a = a.handle, b = b.handle
        return record(op: "matmul", value: out, inputs: [a, b]) { tape, g in
            let gp = g.storage.pointer
            // A fresh gradient is written by sgemm with beta 0: no zero-fill first.
            tape.writeGradient(of: a) { da, fresh in
                if transposeA {  // dA = op(B) · dCᵀ, a is k x m
                    gemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: n,
                         a: bv.storage.pointer, b: gp, beta: fresh ? 0 : 1, c: da)
                } else {  // dA = dC · op(B)ᵀ, a is m x k
                    gemm(transposeA: false, transposeB: !transposeB, m: m, n: k, k: n,
                         a: gp, b: bv.storage.pointer, beta: fresh ? 0 : 1, c: da)
                }
            }
            tape.writeGradient(of: b) { db, fresh in
                if transposeB {  // dB = dCᵀ · op(A), b is n x k
                    gemm(transposeA: true, transposeB: transposeA, m: n, n: k, k: m,
                         a: gp, b: av.storage.pointer, beta: fresh ? 0 : 1, c: db)
                } else {  // dB = op(A)ᵀ · dC, b is k x n
                    gemm(transposeA: !transposeA, transposeB: false, m: k, n: n, k: m,
                         a: av.storage.pointer, b: gp, beta: fresh ? 0 : 1, c: db)
                }
            }
        }
    }

    /// Batched `op(a[i]) · op(b[i])` over the first dimension of two rank-3 tensors.
    public func batchedMatmul(_ a: Variable, _ b: Variable,
                              transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let av = a.value, bv = b.value
        require(av.rank == 3 && bv.rank == 3 && av.shape[0] == bv.shape[0],
                AutogradError(op: "batchedMatmul", "needs two rank-3 tensors with the same batch size, got \(av.shape) and \(bv.shape)"))
        let batch = av.shape[0]
        let dims: (m: Int, k: Int, n: Int)
        switch Tape.matmulShape(Array(av.shape.dropFirst()), Array(bv.shape.dropFirst()),
                                transposeA: transposeA, transposeB: transposeB) {
        case .success(let d): dims = d
        case .failure(let e): fail(AutogradError(op: "batchedMatmul", e.message))
        }
        let (m, k, n) = dims
        let aStride = m * k, bStride = k * n, cStride = m * n
        var out = Tensor(uninitializedShape: [batch, m, n])
        // The products are small (one sequence each), too small to split one by one;
        // the batch is split into chunks across the worker threads instead (`ParallelRows`).
        let work = m * n * k / 64
        let eachSequence = { (body: (Int) -> Void) in
            ParallelRows.forEach(rows: batch, width: work) { chunk in for i in chunk { body(i) } }
        }
        out.withUnsafeMutableBufferPointer { c in
            let c = c.baseAddress!
            eachSequence { i in
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                     a: av.storage.pointer + i * aStride, b: bv.storage.pointer + i * bStride, beta: 0, c: c + i * cStride)
            }
        }
        let a = a.handle, b = b.handle
        return record(op: "batchedMatmul", value: out, inputs: [a, b]) { tape, g in
            let gp = g.storage.pointer
            tape.writeGradient(of: a) { da, fresh in
                let beta: Float = fresh ? 0 : 1
                eachSequence { i in
                    let bp = bv.storage.pointer + i * bStride, gi = gp + i * cStride
                    if transposeA {  // dA = op(B) · dCᵀ
                        gemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: n, a: bp, b: gi, beta: beta, c: da + i * aStride)
                    } else {  // dA = dC · op(B)ᵀ
                        gemm(transposeA: false, transposeB: !transposeB, m: m, n: k, k: n, a: gi, b: bp, beta: beta, c: da + i * aStride)
                    }
                }
            }
            tape.writeGradient(of: b) { db, fresh in
                let beta: Float = fresh ? 0 : 1
                eachSequence { i in
                    let ap = av.storage.pointer + i * aStride, gi = gp + i * cStride
                    if transposeB {  // dB = dCᵀ · op(A)
                        gemm(transposeA: true, transposeB: transposeA, m: n, n: k, k: m, a: gi, b: ap, beta: beta, c: db + i * bStride)
                    } else {  // dB = op(A)ᵀ · dC
                        gemm(transposeA: !transposeA, transposeB: false, m: k, n: n, k: m, a: ap, b: gi, beta: beta, c: db + i * bStride)
                    }
                }
            }
        }
    }
}
