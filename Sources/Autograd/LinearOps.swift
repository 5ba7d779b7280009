/// The affine map of a linear layer as one recorded op.
extension Tape {
    /// `x · weightᵀ + bias` for `x` `[N, inputs]`, `weight` `[outputs, inputs]`
    /// (PyTorch's layout) and `bias` `[outputs]`: the bias rows are written
    /// first and sgemm adds the product onto them, so the bias costs no
    /// separate pass forward, and its gradient is one column sum backward.
    public func linear(_ x: Variable, weight: Variable, bias: Variable) -> Variable {
        let xv = x.value, wv = weight.value, bv = bias.value
        let dims: (m: Int, k: Int, n: Int)
        switch Tape.matmulShape(xv.shape, wv.shape, transposeA: false, transposeB: true) {
        case .success(let d): dims = d
        case .failure(let e): fail(AutogradError(op: "linear", e.message))
        }
        let (m, k, n) = dims
        require(bv.count == n, AutogradError(op: "linear", "bias \(bv.shape) must have \(n) elements for weight \(wv.shape)"))
        let out = Tensor(uninitializedShape: [m, n])
        let c = out.storage.pointer, xp = xv.storage.pointer, wp = wv.storage.pointer, bp = bv.storage.pointer
        // Each run of rows writes its bias rows and adds its product onto them while they are in cache.
        ParallelRows.forEach(rows: m, width: max(n, k)) { rows in
            for row in rows { (c + row * n).update(from: bp, count: n) }
            gemm(transposeA: false, transposeB: true, m: rows.count, n: n, k: k, a: xp + rows.lowerBound * k, b: wp, beta: 1, c: c + rows.lowerBound * n)
        }
        let x = x.handle, weight = weight.handle, bias = bias.handle
        return record(op: "linear", value: out, inputs: [x, weight, bias]) { tape, g in
            let gp = g.storage.pointer
            tape.writeGradient(of: x) { dx, fresh in  // dX = dY · W
                gemm(transposeA: false, transposeB: false, m: m, n: k, k: n, a: gp, b: wp, beta: fresh ? 0 : 1, c: dx)
            }
            guard tape.requiresGradient(weight) || tape.requiresGradient(bias) else { return }
            // dW = dYᵀ · X and db = the column sums of dY, each run of rows
            // making its own share (its rows of dY and X still in cache), the
            // shares added in order.
            let shares = ParallelRows.map(rows: m, width: max(n, k)) { rows -> Tensor in
                let share = Tensor(zeros: [n * k + n]), sp = share.storage.pointer
                gemm(transposeA: true, transposeB: false, m: n, n: k, k: rows.count, a: gp + rows.lowerBound * n, b: xp + rows.lowerBound * k,
                     beta: 0, c: sp)
                let db = sp + n * k
                for row in rows { let src = gp + row * n; for j in 0..<n { db[j] += src[j] } }
                return share
            }
            tape.writeGradient(of: weight) { dw, fresh in
                for (index, share) in shares.enumerated() {
                    let sp = share.storage.pointer
                    if fresh && index == 0 { dw.update(from: sp, count: n * k) } else { for i in 0..<(n * k) { dw[i] += sp[i] } }
                }
            }
            tape.withGradient(of: bias) { db in
                for share in shares { let sp = share.storage.pointer + n * k; for j in 0..<n { db[j] += sp[j] } }
            }
        }
    }
}
