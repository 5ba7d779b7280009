import Autograd

/// A table of row vectors looked up by id, with a row-sparse gradient.
/// Rows can be frozen one by one (a pretrained table frozen, its new rows
/// trainable), and an optional padding row stays zero.
public final class Embedding: Module {
    /// The table, `[count, dimension]`.
    public let table: Parameter
    /// The row that stays zero and is never trained, if any.
    public let paddingIndex: Int?

    /// A table drawn from N(0, std²) (PyTorch's default is std 1).
    public init(count: Int, dimension: Int, std: Float = 1, paddingIndex: Int? = nil,
                rng: inout SeededGenerator) {
        table = Parameter(.normal(shape: [count, dimension], std: std, using: &rng))
        self.paddingIndex = paddingIndex
        applyPadding()
    }

    /// A table holding `pretrained` (`[count, dimension]`), frozen if asked.
    public init(pretrained: Tensor, frozen: Bool = false, paddingIndex: Int? = nil) {
        precondition(pretrained.rank == 2, "Embedding: pretrained matrix must be 2-D, got \(pretrained.shape)")
        table = Parameter(pretrained, frozen: frozen)
        self.paddingIndex = paddingIndex
        applyPadding()
    }

    private func applyPadding() {
        guard let paddingIndex else { return }
        let width = table.rowWidth
        table.value.withUnsafeMutableBufferPointer { p in
            for j in 0..<width { p[paddingIndex * width + j] = 0 }
        }
        var scale = table.rowLearningRateScale ?? [Float](repeating: 1, count: table.rowCount)
        scale[paddingIndex] = 0
        table.rowLearningRateScale = scale
    }

    /// Number of rows.
    public var count: Int { table.value.shape[0] }
    /// Width of a row.
    public var dimension: Int { table.value.shape[1] }

    /// Marks which rows train (`true`) and which stay fixed; the padding row stays fixed.
    public func setTrainableRows(_ trainable: [Bool]) {
        var mask = trainable
        if let paddingIndex { mask[paddingIndex] = false }
        table.setTrainableRows(mask)
    }

    /// The table.
    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", table)] }

    /// Rows `ids` as `[ids.count, dimension]`.
    public func callAsFunction(_ ids: [Int32], on tape: Tape) -> Variable {
        tape.gather(table, ids)
    }
}

/// Bags of ids reduced to one vector each (mean or sum, optional per-id
/// weights), as `torch.nn.EmbeddingBag` does with offsets.
public final class EmbeddingBag: Module {
    /// The underlying table and its row freezing.
    public let embedding: Embedding
    /// How the rows of one bag are combined.
    public let mode: Tape.BagMode

    /// A bag layer over `embedding`.
    public init(embedding: Embedding, mode: Tape.BagMode = .mean) {
        self.embedding = embedding
        self.mode = mode
    }

    /// The table, named "weight" as in PyTorch.
    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", embedding.table)] }

    /// One row per bag; bag `b` holds `ids[offsets[b]..<offsets[b+1]]`.
    public func callAsFunction(_ ids: [Int32], offsets: [Int], weights: [Float]? = nil,
                               on tape: Tape) -> Variable {
        tape.embeddingBag(embedding.table, indices: ids, offsets: offsets, weights: weights, mode: mode)
    }
}
