/// Sums and means, over one axis or over everything.
extension Tape {
    /// Sum over `axis` (that dimension is removed).
    public func sum(_ x: Variable, axis: Int) -> Variable { reduce(x, axis: axis, scale: 1, op: "sum") }

    /// Mean over `axis` (that dimension is removed).
    public func mean(_ x: Variable, axis: Int) -> Variable {
        let length = x.shape.indices.contains(axis) ? x.shape[axis] : 1
        return reduce(x, axis: axis, scale: 1 / Float(max(length, 1)), op: "mean")
    }

    /// Sum of every element, as a one-element tensor.
    public func sum(_ x: Variable) -> Variable { reduce(reshape(x, [x.value.count]), axis: 0, scale: 1, op: "sum") }

    /// Mean of every element, as a one-element tensor.
    public func mean(_ x: Variable) -> Variable {
        reduce(reshape(x, [x.value.count]), axis: 0, scale: 1 / Float(max(x.value.count, 1)), op: "mean")
    }

    private func reduce(_ x: Variable, axis: Int, scale: Float, op: String) -> Variable {
        let xv = x.value
        require(axis >= 0 && axis < xv.rank,
                AutogradError(op: op, "axis \(axis) is outside shape \(xv.shape)"))
        let (outer, length, inner) = Tape.split(xv.shape, axis: axis)
        var outShape = xv.shape
        outShape.remove(at: axis)
        var out = Tensor(zeros: outShape)
        out.withUnsafeMutableBufferPointer { o in
            let s = xv.storage.pointer
            if inner == 1 {  // contiguous rows: a vectorised reduction per row
                for r in 0..<outer { o[r] = scale * relaxedSum(s + r * length, length) }
                return
            }
            for r in 0..<outer {
                for l in 0..<length {
                    let src = s + (r * length + l) * inner, dst = o.baseAddress! + r * inner
                    for j in 0..<inner { dst[j] += src[j] }
                }
                for j in 0..<inner { o[r * inner + j] *= scale }
            }
        }
        let x = x.handle
        return record(op: op, value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in
                let gp = g.storage.pointer
                if inner == 1 {
                    for r in 0..<outer {
                        let v = scale * gp[r], dst = d + r * length
                        for l in 0..<length { dst[l] += v }
                    }
                    return
                }
                for r in 0..<outer {
                    for l in 0..<length {
                        let dst = d + (r * length + l) * inner, src = gp + r * inner
                        for j in 0..<inner { dst[j] += scale * src[j] }
                    }
                }
            }
        }
    }
}
