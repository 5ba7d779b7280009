import Autograd
import Layers

/// Which sequence encoder a next-item model uses.
public enum SequenceEncoderKind: String, Sendable, Codable, CaseIterable {
    /// GRU4Rec-style: one GRU layer.
    case gru
    /// SASRec-style: causal self-attention blocks with learned positions.
    case sasrec
}

/// Everything needed to rebuild a next-item model.
public struct NextItemConfig: Sendable, Codable, Equatable {
    /// The encoder.
    public var encoder: SequenceEncoderKind
    /// Embedding and hidden width.
    public var dimension: Int
    /// Longest history fed to the encoder.
    public var maxLength: Int
    /// Self-attention blocks (SASRec).
    public var blocks: Int
    /// Attention heads (SASRec).
    public var heads: Int
    /// Dropout (SASRec: inputs, attention, residuals; GRU: item vectors in, states out).
    public var dropout: Float
    /// Score with the input item table (true) or a separate output table.
    public var tied: Bool
    /// Add a learned per-item bias to the scores.
    public var outputBias: Bool
    /// Rows of the item table: the catalogue plus the padding row 0.
    public var rows: Int
    /// Mix a copy distribution over the user's own history into the
    /// scores through a learned gate (`RepeatHead`); nil or false: off.
    public var repeatAware: Bool?

    /// BENCHMARKS.md W5 (gru) or W6 (sasrec) settings for `rows` table rows.
    public init(encoder: SequenceEncoderKind, rows: Int, dimension: Int = 64, maxLength: Int = 50) {
        self.encoder = encoder
        self.rows = rows
        self.dimension = dimension
        self.maxLength = maxLength
        blocks = 2
        heads = 1
        dropout = encoder == .sasrec ? 0.2 : 0
        tied = true
        outputBias = false
    }
}

/// Encodes a left-padded item history and scores every item for the next position.
public final class NextItemModel: Module, ItemScorer {
    /// The configuration.
    public let config: NextItemConfig
    /// Input item table (row 0: padding).
    public let items: Embedding
    /// Output table when untied.
    public let outputItems: Embedding?
    /// Per-item score bias, `[rows]`.
    public let bias: Parameter?
    /// The encoder between the item table and the scores.
    public let encoder: any SequenceEncoder
    /// The repeat-aware head, when `config.repeatAware`.
    public let repeatHead: RepeatHead?

    /// A model around `items` (random or warm-started).
    public init(config: NextItemConfig, items: Embedding, rng: inout SeededGenerator) {
        self.config = config
        self.items = items
        outputItems = config.tied ? nil : Embedding(count: config.rows, dimension: config.dimension, std: 0.1, paddingIndex: 0, rng: &rng)
        bias = config.outputBias ? Parameter(Tensor(zeros: [config.rows])) : nil
        encoder = config.encoder.make(config, rng: &rng)
        repeatHead = config.repeatAware == true ? RepeatHead(dimension: config.dimension, rng: &rng) : nil
    }

    /// "items", "output_items" when untied, then the encoder's own, then "repeat" when repeat-aware.
    public var children: [(name: String, module: any Module)] {
        [("items", items as any Module)] + (outputItems.map { [("output_items", $0 as any Module)] } ?? []) + encoder.children
            + (repeatHead.map { [("repeat", $0 as any Module)] } ?? [])
    }

    /// Restarts every dropout stream from `seed` (one stream per layer).
    public func reseedDropout(_ seed: UInt64) {
        for (i, d) in encoder.dropoutLayers.enumerated() { d.reseed(seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
    }

    /// The bias, if any.
    public var ownParameters: [(name: String, parameter: Parameter)] { bias.map { [("output_bias", $0)] } ?? [] }

    /// Hidden states `[B * T, D]` for `histories`, each exactly `T` long and left-padded with 0.
    public func hiddenStates(_ histories: [[Int32]], on tape: Tape) -> Variable {
        let b = histories.count, t = histories.first?.count ?? 0, d = config.dimension
        let embedded = tape.reshape(items(histories.flatMap { $0 }, on: tape), [b, t, d])
        return encoder.encode(embedded, histories: histories, maxLength: config.maxLength)
    }

    /// Scores `[rows of hidden, items.count]` against the listed item rows
    /// only (row-sparse gradient into the table), plus the bias if any.
    public func scores(_ hidden: Variable, against items: [Int32]) -> Variable {
        let tape = hidden.tape
        return addingBias(tape.matmul(hidden, tape.gather(outputTable, items), transposeB: true), of: items)
    }

    /// One score per hidden row: row p against item `items[p]` (`[P]`), plus the bias if any.
    public func scoresOf(_ hidden: Variable, items: [Int32]) -> Variable {
        let tape = hidden.tape
        return addingBias(tape.sum(tape.mul(hidden, tape.gather(outputTable, items)), axis: 1), of: items)
    }

    /// The catalogue plus the padding row.
    public var scoredRows: Int { config.rows }

    /// The table scores are taken against: the output table when untied, else the input table.
    var outputTable: Parameter { (outputItems ?? items).table }

    /// `scores` (last axis: one column per item of `items`) plus those items' biases, if the model has a bias.
    private func addingBias(_ scores: Variable, of items: [Int32]) -> Variable {
        guard let bias else { return scores }
        let tape = scores.tape
        return tape.add(scores, tape.reshape(tape.gather(tape.reshape(tape.parameter(bias), [config.rows, 1]), items), [items.count]))
    }

    /// Catalogues (with the padding row) above this many rows train the full
    /// softmax tile by tile (`Tape.tiledSoftmaxCrossEntropy`), so the
    /// positions x catalogue scores are never held whole.
    public static let tiledAbove = 2048

    /// Items per tile of the tiled loss: a 128-user batch's tile of scores
    /// (6,400 x 256 floats, 6.5 MB) stays in the 32 MB L3 cache between the
    /// product that writes it and the exponentials that read it. On a
    /// 9,340-item W7 log (one thread, interleaved) tiles of 256 trained at
    /// 9.0–9.7k positions/s against 7.2–7.4k with 2,048, 8.1–8.4k with 1,024,
    /// 8.3–9.4k with 512 and 8.6–8.7k with 128.
    public static let outputTile = 256

    /// Up to this many positions x catalogue exponentials (256 MB) the tiled
    /// loss keeps them for its backward pass instead of recomputing each
    /// tile's scores: a 128-user batch of 50 positions keeps them up to about
    /// 10,000 items; bigger catalogues hold one tile at a time.
    public static let outputKeepBudget = 1 << 26

    /// The full softmax's loss when the model has no bias: tile by tile
    /// above `tiledAbove` rows, else a block of positions at a time; with a
    /// bias, over the whole score matrix.
    public func fullSoftmaxLoss(_ hidden: Variable, targets: [Int32]) -> Variable {
        let tape = hidden.tape
        guard bias == nil else { return tape.softmaxCrossEntropy(scores(hidden), targets: targets) }
        guard config.rows > Self.tiledAbove else {
            return tape.blockedSoftmaxCrossEntropy(hidden, table: tape.parameter(outputTable), targets: targets)
        }
        return tape.tiledSoftmaxCrossEntropy(hidden, table: tape.parameter(outputTable), targets: targets, tile: Self.outputTile,
                                             keepUpTo: Self.outputKeepBudget)
    }

    /// Scores `[rows of hidden, catalogue rows]` against every item.
    public func scores(_ hidden: Variable) -> Variable {
        let tape = hidden.tape
        let table = tape.parameter(outputTable)
        let s = tape.matmul(hidden, table, transposeB: true)
        guard let bias else { return s }
        return tape.add(s, tape.parameter(bias))
    }
}
