/// Ops that move elements without arithmetic: reshape, concat, slice, transpose.
extension Tape {
    /// The same elements under `shape` (no copy).
    public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
        let xv = x.value
        require(shape.reduce(1, *) == xv.count,
                AutogradError(op: "reshape", "cannot view shape \(xv.shape) (\(xv.count) elements) as \(shape)"))
        let x = x.handle
        return record(op: "reshape", value: xv.reshaped(shape), inputs: [x]) { tape, g in
            tape.accumulate(x, g)
        }
    }

    /// Splits a shape around `axis` into (outer, axis length, inner) element counts.
    static func split(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public func concat(_ parts: [Variable], axis: Int) -> Variable {
        require(!parts.isEmpty, AutogradError(op: "concat", "needs at least one tensor"))
        let shapes = parts.map(\.shape)
        let first = shapes[0]
        let axisOK = axis >= 0 && axis < first.count
        let agree = axisOK && shapes.allSatisfy { s in
            s.count == first.count && s.indices.allSatisfy { $0 == axis || s[$0] == first[$0] }
        }
        require(agree, AutogradError(op: "concat", "shapes \(shapes) do not agree outside axis \(axis)"))
        var outShape = first
        outShape[axis] = shapes.reduce(0) { $0 + $1[axis] }
        let (outer, total, inner) = Tape.split(outShape, axis: axis)
        let values = parts.map(\.value)
        var out = Tensor(uninitializedShape: outShape)
        out.withUnsafeMutableBufferPointer { o in
            var offset = 0
            for v in values {
                let len = v.shape[axis] * inner
                for r in 0..<outer {
                    (o.baseAddress! + r * total * inner + offset).update(from: v.storage.pointer + r * len, count: len)
                }
                offset += len
            }
        }
        let parts = parts.map(\.handle)
        return record(op: "concat", value: out, inputs: parts) { tape, g in
            var offset = 0
            for (p, v) in zip(parts, values) {
                let len = v.shape[axis] * inner
                tape.withGradient(of: p) { d in
                    for r in 0..<outer {
                        let src = g.storage.pointer + r * total * inner + offset
                        for j in 0..<len { d[r * len + j] += src[j] }
                    }
                }
                offset += len
            }
        }
    }

    /// The part of `x` with indices `range` along `axis`.
    public func slice(_ x: Variable, axis: Int, _ range: Range<Int>) -> Variable {
        let xv = x.value
        require(axis >= 0 && axis < xv.rank && range.lowerBound >= 0 && range.upperBound <= xv.shape[axis],
                AutogradError(op: "slice", "range \(range) on axis \(axis) is outside shape \(xv.shape)"))
        let (outer, length, inner) = Tape.split(xv.shape, axis: axis)
        var outShape = xv.shape
        outShape[axis] = range.count
        let len = range.count * inner, start = range.lowerBound * inner
        var out = Tensor(uninitializedShape: outShape)
        out.withUnsafeMutableBufferPointer { o in
            for r in 0..<outer {
                (o.baseAddress! + r * len).update(from: xv.storage.pointer + r * length * inner + start, count: len)
            }
        }
        let x = x.handle
        return record(op: "slice", value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in
                for r in 0..<outer {
                    let dst = d + r * length * inner + start, src = g.storage.pointer + r * len
                    for j in 0..<len { dst[j] += src[j] }
                }
            }
        }
    }

    /// Swaps the last two dimensions of a rank-2 or rank-3 tensor.
    public func transposeLastTwo(_ x: Variable) -> Variable {
        let xv = x.value
        require(xv.rank == 2 || xv.rank == 3,
                AutogradError(op: "transposeLastTwo", "needs rank 2 or 3, got shape \(xv.shape)"))
        let rows = xv.shape[xv.rank - 2], cols = xv.shape[xv.rank - 1]
        let batch = xv.count / max(rows * cols, 1)
        var outShape = xv.shape
        outShape.swapAt(xv.rank - 2, xv.rank - 1)
        func transpose(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, rows: Int, cols: Int, add: Bool) {
            for b in 0..<batch {
                let s = src + b * rows * cols, t = dst + b * rows * cols
                for i in 0..<rows {
                    for j in 0..<cols { if add { t[j * rows + i] += s[i * cols + j] } else { t[j * rows + i] = s[i * cols + j] } }
                }
            }
        }
        var out = Tensor(uninitializedShape: outShape)
        out.withUnsafeMutableBufferPointer { transpose(xv.storage.pointer, $0.baseAddress!, rows: rows, cols: cols, add: false) }
        let x = x.handle
        return record(op: "transposeLastTwo", value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in transpose(g.storage.pointer, d, rows: cols, cols: rows, add: true) }
        }
    }
}
