/// Row lookups. From a parameter, the gradient is row-sparse: only the
/// touched rows reach the parameter, never a dense table.
extension Tape {
    private static func checkIndices(_ op: String, _ indices: [Int32], rows: Int) {
        for (k, i) in indices.enumerated() where i < 0 || Int(i) >= rows {
            fail(AutogradError(op: op, "index \(i) at position \(k) is outside 0..<\(rows)"))
        }
    }

    private static func gatherRows(_ table: Tensor, _ indices: [Int32], width: Int) -> Tensor {
        var out = Tensor(uninitializedShape: [indices.count, width])
        out.withUnsafeMutableBufferPointer { o in
            for (k, i) in indices.enumerated() {
                (o.baseAddress! + k * width).update(from: table.storage.pointer + Int(i) * width, count: width)
            }
        }
        return out
    }

    /// Rows `indices` of a parameter table `[rows, width]`, as `[indices.count, width]`.
    /// The backward pass hands the parameter a row-sparse gradient.
    public func gather(_ table: Parameter, _ indices: [Int32]) -> Variable {
        let tv = table.value
        require(tv.rank == 2, AutogradError(op: "gather", "table must be a matrix, got shape \(tv.shape)"))
        Tape.checkIndices("gather", indices, rows: tv.shape[0])
        let out = Tape.gatherRows(tv, indices, width: tv.shape[1])
        return record(op: "gather", value: out, parameter: table) { _, g in
            indices.withUnsafeBufferPointer { table.accumulateSparse(rows: $0, values: g.storage.pointer) }
        }
    }

    /// Rows `indices` of a recorded matrix, with a dense gradient (scatter-add).
    public func gather(_ x: Variable, _ indices: [Int32]) -> Variable {
        let xv = x.value
        require(xv.rank == 2, AutogradError(op: "gather", "input must be a matrix, got shape \(xv.shape)"))
        Tape.checkIndices("gather", indices, rows: xv.shape[0])
        let width = xv.shape[1]
        let out = Tape.gatherRows(xv, indices, width: width)
        let x = x.handle
        return record(op: "gather", value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in
                for (k, i) in indices.enumerated() {
                    let dst = d + Int(i) * width, src = g.storage.pointer + k * width
                    for j in 0..<width { dst[j] += src[j] }
                }
            }
        }
    }

    /// How an embedding bag combines the rows of one bag.
    public enum BagMode: String, Sendable, Codable { case sum, mean }

    /// One row per bag: bag `b` holds `indices[offsets[b]..<offsets[b+1]]`
    /// (the last bag runs to the end), combined by `mode`, each row first
    /// multiplied by its weight in `weights` when given. An empty bag gives
    /// zeros. The parameter receives a row-sparse gradient.
    public func embeddingBag(_ table: Parameter, indices: [Int32], offsets: [Int],
                             weights: [Float]? = nil, mode: BagMode = .mean) -> Variable {
        let tv = table.value
        require(tv.rank == 2, AutogradError(op: "embeddingBag", "table must be a matrix, got shape \(tv.shape)"))
        Tape.checkIndices("embeddingBag", indices, rows: tv.shape[0])
        require(weights == nil || weights!.count == indices.count,
                AutogradError(op: "embeddingBag", "\(weights?.count ?? 0) weights for \(indices.count) indices"))
        let bagOK = offsets.first.map { $0 == 0 } ?? true
            && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }
            && (offsets.last ?? 0) <= indices.count
        require(bagOK, AutogradError(op: "embeddingBag", "offsets must start at 0, not decrease, and stay within \(indices.count) indices"))
        let width = tv.shape[1], bags = offsets.count
        let ends = Array(offsets.dropFirst()) + [indices.count]
        // Per-index factor: weight, divided by bag length for the mean.
        var factors = [Float](repeating: 1, count: indices.count)
        for b in 0..<bags {
            let n = ends[b] - offsets[b]
            for k in offsets[b]..<ends[b] {
                factors[k] = (weights?[k] ?? 1) / (mode == .mean ? Float(n) : 1)
            }
        }
        var out = Tensor(zeros: [bags, width])
        out.withUnsafeMutableBufferPointer { o in
            for b in 0..<bags {
                let dst = o.baseAddress! + b * width
                for k in offsets[b]..<ends[b] {
                    let src = tv.storage.pointer + Int(indices[k]) * width, f = factors[k]
                    for j in 0..<width { dst[j] += f * src[j] }
                }
            }
        }
        return record(op: "embeddingBag", value: out, parameter: table) { _, g in
            if indices.count * width > Tape.mergedBagGradientThreshold {
                return Tape.accumulateMergedBagGradient(table, g, indices: indices, offsets: offsets, ends: ends, factors: factors)
            }
            var rows = [Float](repeating: 0, count: indices.count * width)
            for b in 0..<bags {
                let src = g.storage.pointer + b * width
                for k in offsets[b]..<ends[b] {
                    let f = factors[k]
                    for j in 0..<width { rows[k * width + j] = f * src[j] }
                }
            }
            indices.withUnsafeBufferPointer { table.accumulateSparse(rows: $0, values: rows) }
        }
    }

    /// Above this many gradient values (indices x width), a bag gradient is
    /// merged per distinct row before it reaches the table, so one very long
    /// bag (a 10 MB line of item keys) costs memory for its distinct rows,
    /// not for every token.
    static let mergedBagGradientThreshold = 1 << 22

    /// The embedding bag's table gradient with repeated rows added up first:
    /// memory O(distinct rows x width).
    static func accumulateMergedBagGradient(_ table: Parameter, _ g: Tensor, indices: [Int32], offsets: [Int], ends: [Int],
                                            factors: [Float]) {
        let width = g.lastDimension
        var slotOfRow: [Int32: Int] = [:]
        var distinct: [Int32] = []
        for r in indices where slotOfRow[r] == nil {
            slotOfRow[r] = distinct.count
            distinct.append(r)
        }
        var rows = [Float](repeating: 0, count: distinct.count * width)
        rows.withUnsafeMutableBufferPointer { dst in
            for b in 0..<offsets.count {
                let src = g.storage.pointer + b * width
                for k in offsets[b]..<ends[b] {
                    let f = factors[k], out = dst.baseAddress! + slotOfRow[indices[k]]! * width
                    for j in 0..<width { out[j] += f * src[j] }
                }
            }
        }
        distinct.withUnsafeBufferPointer { table.accumulateSparse(rows: $0, values: rows) }
    }
}
