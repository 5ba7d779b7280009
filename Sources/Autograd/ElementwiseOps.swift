/// Binary element-wise ops (`a op b`, with `b` broadcast as `Broadcast`
/// describes) and ops with a scalar.
extension Tape {
    private enum BinaryKind: String { case add, sub, mul, div }

    private func binary(_ kind: BinaryKind, _ a: Variable, _ b: Variable) -> Variable {
        let av = a.value, bv = b.value
        let mode: Broadcast
        switch Broadcast.resolve(op: kind.rawValue, av.shape, bv.shape) {
        case .success(let m): mode = m
        case .failure(let e): fail(e)
        }
        let columns = av.lastDimension, rows = av.rowCount
        var out = Tensor(uninitializedShape: av.shape)
        out.withUnsafeMutableBufferPointer { o in
            av.withUnsafeBufferPointer { x in
                bv.withUnsafeBufferPointer { y in
                    switch kind {
                    case .add: mode.forEach(rows: rows, columns: columns) { i, j in o[i] = x[i] + y[j] }
                    case .sub: mode.forEach(rows: rows, columns: columns) { i, j in o[i] = x[i] - y[j] }
                    case .mul: mode.forEach(rows: rows, columns: columns) { i, j in o[i] = x[i] * y[j] }
                    case .div: mode.forEach(rows: rows, columns: columns) { i, j in o[i] = x[i] / y[j] }
                    }
                }
            }
        }
        let a = a.handle, b = b.handle
        return record(op: kind.rawValue, value: out, inputs: [a, b]) { tape, g in
            // A sum passes its gradient on unchanged: shared, not copied, where it is the first.
            if kind == .add || kind == .sub { tape.accumulate(a, g) }
            if kind == .add && mode == .same { tape.accumulate(b, g) }
            g.withUnsafeBufferPointer { g in
                av.withUnsafeBufferPointer { x in
                    bv.withUnsafeBufferPointer { y in
                        if kind == .mul || kind == .div {
                            tape.withGradient(of: a) { da in
                                if kind == .mul { mode.forEach(rows: rows, columns: columns) { i, j in da[i] += g[i] * y[j] } }
                                else { mode.forEach(rows: rows, columns: columns) { i, j in da[i] += g[i] / y[j] } }
                            }
                        }
                        guard kind != .add || mode != .same else { return }
                        tape.withGradient(of: b) { db in
                            switch kind {
                            case .add: mode.forEach(rows: rows, columns: columns) { i, j in db[j] += g[i] }
                            case .sub: mode.forEach(rows: rows, columns: columns) { i, j in db[j] -= g[i] }
                            case .mul: mode.forEach(rows: rows, columns: columns) { i, j in db[j] += g[i] * x[i] }
                            case .div:
                                mode.forEach(rows: rows, columns: columns) { i, j in db[j] -= g[i] * x[i] / (y[j] * y[j]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `a + b`, `b` broadcast.
    public func add(_ a: Variable, _ b: Variable) -> Variable { binary(.add, a, b) }
    /// `a - b`, `b` broadcast.
    public func sub(_ a: Variable, _ b: Variable) -> Variable { binary(.sub, a, b) }
    /// `a * b` element-wise, `b` broadcast.
    public func mul(_ a: Variable, _ b: Variable) -> Variable { binary(.mul, a, b) }
    /// `a / b` element-wise, `b` broadcast.
    public func div(_ a: Variable, _ b: Variable) -> Variable { binary(.div, a, b) }

    /// `scale * x + shift` for scalars `scale` and `shift`.
    public func affine(_ x: Variable, scale: Float, shift: Float = 0) -> Variable {
        let xv = x.value
        var out = Tensor(uninitializedShape: xv.shape)
        out.withUnsafeMutableBufferPointer { o in
            xv.withUnsafeBufferPointer { s in for i in 0..<s.count { o[i] = scale * s[i] + shift } }
        }
        let x = x.handle
        return record(op: "affine", value: out, inputs: [x]) { tape, g in
            g.withUnsafeBufferPointer { g in
                tape.withGradient(of: x) { d in for i in 0..<g.count { d[i] += scale * g[i] } }
            }
        }
    }
}

/// `a + b`.
public func + (a: Variable, b: Variable) -> Variable { a.tape.add(a, b) }
/// `a - b`.
public func - (a: Variable, b: Variable) -> Variable { a.tape.sub(a, b) }
/// `a * b` element-wise.
public func * (a: Variable, b: Variable) -> Variable { a.tape.mul(a, b) }
/// `a / b` element-wise.
public func / (a: Variable, b: Variable) -> Variable { a.tape.div(a, b) }
/// `a + s`.
public func + (a: Variable, s: Float) -> Variable { a.tape.affine(a, scale: 1, shift: s) }
/// `a - s`.
public func - (a: Variable, s: Float) -> Variable { a.tape.affine(a, scale: 1, shift: -s) }
/// `a * s`.
public func * (a: Variable, s: Float) -> Variable { a.tape.affine(a, scale: s) }
/// `s * a`.
public func * (s: Float, a: Variable) -> Variable { a.tape.affine(a, scale: s) }
/// `a / s`.
public func / (a: Variable, s: Float) -> Variable { a.tape.affine(a, scale: 1 / s) }
/// `-a`.
public prefix func - (a: Variable) -> Variable { a.tape.affine(a, scale: -1) }
