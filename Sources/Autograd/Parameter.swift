/// A trainable tensor: its value, its gradient from the last backward pass,
/// and what may change it. A gradient arrives dense (from ops such as matmul)
/// or row-sparse (from gathers and embedding bags, which touch a few rows);
/// the sparse part is never expanded into a dense table.
public final class Parameter {
    /// The current value. Optimizers update it in place.
    public var value: Tensor
    /// A frozen parameter gets no gradient and is never changed by an optimizer.
    public var isFrozen: Bool
    /// Optional learning-rate multiplier per row (first dimension): 0 freezes a
    /// row, 0.1 trains it ten times slower. `nil` means 1 for every row.
    public var rowLearningRateScale: [Float]? {
        didSet {
            if let scale = rowLearningRateScale {
                require(scale.count == value.shape.first ?? 1,
                        AutogradError(op: "Parameter.rowLearningRateScale",
                                      "\(scale.count) scales for \(value.shape.first ?? 1) rows of shape \(value.shape)"))
            }
        }
    }
    /// The dense part of the gradient, if any op produced one.
    public private(set) var denseGradient: Tensor?
    private var sparseRows: [Int32] = []
    private var sparseValues: [Float] = []
    /// Slot of each row while merging repeated rows (-1: none); kept between steps to avoid hashing.
    private var slotOfRow: [Int32] = []

    /// A parameter holding `value`.
    public init(_ value: Tensor, frozen: Bool = false) {
        self.value = value
        self.isFrozen = frozen
    }

    /// Width of one row (the product of all dimensions after the first).
    public var rowWidth: Int { value.rank <= 1 ? value.count : value.count / value.shape[0] }
    /// Number of rows (the first dimension, or 1 for a vector or scalar).
    public var rowCount: Int { value.rank <= 1 ? 1 : value.shape[0] }

    /// True when the last backward pass left any gradient here.
    public var hasGradient: Bool { denseGradient != nil || !sparseRows.isEmpty }

    /// Marks rows as trainable (`true`) or frozen (`false`).
    public func setTrainableRows(_ trainable: [Bool]) {
        rowLearningRateScale = trainable.map { $0 ? 1 : 0 }
    }

    /// Forgets the gradient (call before the next forward pass).
    public func zeroGradient() {
        denseGradient = nil
        sparseRows.removeAll(keepingCapacity: true)
        sparseValues.removeAll(keepingCapacity: true)
    }

    /// Adds `gradient` (the value's element count) into the dense gradient;
    /// the first one is kept as it is, without a copy.
    func accumulateDense(_ gradient: Tensor) {
        if denseGradient == nil {
            denseGradient = gradient.reshaped(value.shape)
        } else {
            gradient.withUnsafeBufferPointer { g in
                denseGradient!.withUnsafeMutableBufferPointer { d in
                    for i in 0..<d.count { d[i] += g[i] }
                }
            }
        }
    }

    /// Adds gradient rows: `rows[k]` receives the `rowWidth` values at `values + k * rowWidth`.
    func accumulateSparse(rows: UnsafeBufferPointer<Int32>, values: UnsafePointer<Float>) {
        sparseRows.append(contentsOf: rows)
        sparseValues.append(contentsOf: UnsafeBufferPointer(start: values, count: rows.count * rowWidth))
    }

    /// Moves the sparse rows into the dense gradient when both exist (an
    /// embedding table used both by a gather and by a matmul), and merges
    /// repeated rows of the sparse part. Called by optimizers and clipping.
    public func consolidateGradient() {
        guard !sparseRows.isEmpty else { return }
        let width = rowWidth
        if denseGradient != nil {
            denseGradient!.withUnsafeMutableBufferPointer { d in
                for (k, row) in sparseRows.enumerated() {
                    let dst = Int(row) * width, src = k * width
                    for j in 0..<width { d[dst + j] += sparseValues[src + j] }
                }
            }
            sparseRows.removeAll(keepingCapacity: true)
            sparseValues.removeAll(keepingCapacity: true)
            return
        }
        if slotOfRow.count != rowCount { slotOfRow = [Int32](repeating: -1, count: rowCount) }
        var rows: [Int32] = []
        rows.reserveCapacity(sparseRows.count)
        var merged = [Float](repeating: 0, count: sparseValues.count)
        sparseValues.withUnsafeBufferPointer { source in
            merged.withUnsafeMutableBufferPointer { target in
                for (k, row) in sparseRows.enumerated() {
                    var slot = Int(slotOfRow[Int(row)])
                    if slot < 0 {
                        slot = rows.count
                        slotOfRow[Int(row)] = Int32(slot)
                        rows.append(row)
                    }
                    let dst = target.baseAddress! + slot * width, src = source.baseAddress! + k * width
                    for j in 0..<width { dst[j] += src[j] }
                }
            }
        }
        for row in rows { slotOfRow[Int(row)] = -1 }
        merged.removeLast(merged.count - rows.count * width)
        sparseRows = rows
        sparseValues = merged
    }

    /// The row-sparse gradient after `consolidateGradient()`: each touched
    /// row once, in order of first touch, with its summed values.
    public var sparseGradient: (rows: [Int32], values: [Float])? {
        sparseRows.isEmpty ? nil : (sparseRows, sparseValues)
    }

    /// Multiplies every gradient value by `factor` (used by gradient clipping).
    public func scaleGradient(by factor: Float) {
        denseGradient?.withUnsafeMutableBufferPointer { d in for i in 0..<d.count { d[i] *= factor } }
        for i in sparseValues.indices { sparseValues[i] *= factor }
    }

    /// The whole gradient as a dense tensor. Only for checks and tests:
    /// training never builds it.
    public func materializedGradient() -> Tensor {
        consolidateGradient()
        var g = denseGradient ?? Tensor(zeros: value.shape)
        let width = rowWidth
        g.withUnsafeMutableBufferPointer { d in
            for (k, row) in sparseRows.enumerated() {
                for j in 0..<width { d[Int(row) * width + j] += sparseValues[k * width + j] }
            }
        }
        return g
    }
}
