/// How the second operand of a binary element-wise op lines up with the first.
public enum Broadcast: Equatable, Sendable {
    /// Both have the same shape.
    case same
    /// The second is one row (shape `[D]` or `[1, D]`) repeated over every row of the first.
    case row
    /// The second is one column (shape `[N, 1]`) repeated over every column of a `[N, D]` first.
    case column
    /// The second has one element.
    case scalar

    /// How `b` broadcasts against `a`, or an error naming `op` and both shapes.
    public static func resolve(op: String, _ a: [Int], _ b: [Int]) -> Result<Broadcast, AutogradError> {
        let bCount = b.reduce(1, *)
        if a == b { return .success(.same) }
        if bCount == 1 { return .success(.scalar) }
        let isRowShape = b.count == 1 || (b.count == 2 && b[0] == 1)
        if isRowShape, let last = a.last, b.last == last { return .success(.row) }
        if a.count == 2, b == [a[0], 1] { return .success(.column) }
        return .failure(AutogradError(op: op,
            "shapes \(a) and \(b) do not broadcast (the second must equal the first, be a row of \(a.last ?? 1), a column [\(a.first ?? 1), 1], or one element)"))
    }

    /// Calls `body(aIndex, bIndex)` for every element of `a` (`rows` x `columns`).
    @inline(__always)
    func forEach(rows: Int, columns: Int, _ body: (Int, Int) -> Void) {
        switch self {
        case .same: for k in 0..<(rows * columns) { body(k, k) }
        case .scalar: for k in 0..<(rows * columns) { body(k, 0) }
        case .row:
            for i in 0..<rows {
                let base = i * columns
                for j in 0..<columns { body(base + j, j) }
            }
        case .column:
            for i in 0..<rows {
                let base = i * columns
                for j in 0..<columns { body(base + j, i) }
            }
        }
    }
}
