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
        var out = Tensor(uninitializedShape: [m, n])
        out.withUnsafeMutableBufferPointer { c in
            let c = c.baseAddress!, b = bv.storage.pointer
            for row in 0..<m { (c + row * n).update(from: b, count: n) }
            gemm(transposeA: false, transposeB: true, m: m, n: n, k: k, a: xv.storage.pointer, b: wv.storage.pointer, beta: 1, c: c)
        }
        let x = x.handle, weight = weight.handle, bias = bias.handle
        return record(op: "linear", value: out, inputs: [x, weight, bias]) { tape, g in
            let gp = g.storage.pointer
            tape.writeGradient(of: x) { dx, fresh in  // dX = dY · W
                gemm(transposeA: false, transposeB: false, m: m, n: k, k: n, a: gp, b: wv.storage.pointer, beta: fresh ? 0 : 1, c: dx)
            }
            tape.writeGradient(of: weight) { dw, fresh in  // dW = dYᵀ · X
                gemm(transposeA: true, transposeB: false, m: n, n: k, k: m, a: gp, b: xv.storage.pointer, beta: fresh ? 0 : 1, c: dw)
            }
            tape.withGradient(of: bias) { db in
                for row in 0..<m { let src = gp + row * n; for j in 0..<n { db[j] += src[j] } }
            }
        }
    }
}
