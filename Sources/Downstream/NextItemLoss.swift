import Autograd
import Datasets
import Foundation

/// What a next-item loss reads from a model: scores of hidden states against
/// the catalogue, against some items, or each against its own item.
public protocol ItemScorer {
    /// Rows of the scored table: the catalogue plus the padding row 0.
    var scoredRows: Int { get }
    /// Scores `[P, scoredRows]` against every row.
    func scores(_ hidden: Variable) -> Variable
    /// Scores `[P, items.count]` against the listed rows.
    func scores(_ hidden: Variable, against items: [Int32]) -> Variable
    /// One score per hidden row: row p against `items[p]`.
    func scoresOf(_ hidden: Variable, items: [Int32]) -> Variable
    /// Mean softmax cross-entropy of `targets` over every row.
    func fullSoftmaxLoss(_ hidden: Variable, targets: [Int32]) -> Variable
}

extension ItemScorer {
    /// Mean softmax cross-entropy of `targets` over `scores(hidden)`.
    public func fullSoftmaxLoss(_ hidden: Variable, targets: [Int32]) -> Variable {
        hidden.tape.softmaxCrossEntropy(scores(hidden), targets: targets)
    }
}

/// The training loss of a next-item model.
public enum NextItemLoss: Sendable, Equatable, Codable {
    /// Softmax cross-entropy over the whole catalogue (BENCHMARKS.md W5/W6).
    case fullSoftmax
    /// Softmax cross-entropy over the target and `negatives` items drawn
    /// uniformly for the whole batch (a drawn item that is a position's own
    /// target is left out of that position's softmax). Cost grows with
    /// `negatives`, not with the catalogue, and only the touched item rows
    /// get a (row-sparse) gradient.
    case sampledSoftmax(negatives: Int)
    /// Softmax cross-entropy over the target and `negatives` items drawn in
    /// proportion to their training popularity (shared by the batch), every
    /// logit corrected by minus the log of its expected count in the draw
    /// (log-Q; Bengio & Senécal 2008, Yi et al. 2019), so popular items are
    /// not over-penalised for being drawn more often.
    case popularitySampled(negatives: Int)
    /// Bayesian personalised ranking: per position, −log σ(target score −
    /// score of one uniformly drawn other item).
    case bpr

    /// The names `init(name:negatives:)` takes: full, sampled, popular, bpr.
    public static let names = ["full", "sampled", "popular", "bpr"]

    /// The loss named `name` (one of `names`), with `negatives` draws for the sampled ones.
    public init(name: String, negatives: Int) throws {
        switch name {
        case "full": self = .fullSoftmax
        case "bpr": self = .bpr
        case "sampled", "popular":
            guard negatives >= 1 else { throw DatasetError.invalidRequest("--negatives must be at least 1, got \(negatives)") }
            self = name == "sampled" ? .sampledSoftmax(negatives: negatives) : .popularitySampled(negatives: negatives)
        default: throw DatasetError.invalidRequest("unknown loss \(name); choose one of \(Self.names.joined(separator: ", "))")
        }
    }

    /// A short name for reports: "full", "sampled-K" or "bpr".
    public var name: String {
        switch self {
        case .fullSoftmax: "full"
        case .sampledSoftmax(let k): "sampled-\(k)"
        case .popularitySampled(let k): "sampled-popular-\(k)"
        case .bpr: "bpr"
        }
    }

    /// The mean loss over positions with hidden states `hidden` `[P, D]` and
    /// targets `targets` (table rows, none padding); negatives are drawn from
    /// rows 1..<rows with `rng` (by `popularity` for `popularitySampled`;
    /// uniformly without it).
    public func callAsFunction(_ model: some ItemScorer, hidden: Variable, targets: [Int32], rng: inout SeededGenerator,
                               popularity: ItemPopularity? = nil) -> Variable {
        let tape = hidden.tape
        let rows = model.scoredRows
        switch self {
        case .fullSoftmax:
            return model.fullSoftmaxLoss(hidden, targets: targets)
        case .sampledSoftmax(let k):
            return Self.sampled(model, hidden: hidden, targets: targets, negatives: (0..<k).map { _ in Int32(1 + rng.nextInt(below: rows - 1)) })
        case .popularitySampled(let k):
            guard let popularity else { return NextItemLoss.sampledSoftmax(negatives: k)(model, hidden: hidden, targets: targets, rng: &rng) }
            let negatives = (0..<k).map { _ in popularity.draw(&rng) }
            return Self.sampled(model, hidden: hidden, targets: targets, negatives: negatives,
                                logExpectedCounts: (targets.map { popularity.logExpectedCount($0, draws: k) }, negatives.map { popularity.logExpectedCount($0, draws: k) }))
        case .bpr:
            let negatives = targets.map { t -> Int32 in
                let n = Int32(1 + rng.nextInt(below: rows - 2))  // rows 1..<rows without t
                return n >= t ? n + 1 : n
            }
            return tape.bprLoss(positive: model.scoresOf(hidden, items: targets), negative: model.scoresOf(hidden, items: negatives))
        }
    }

    /// Softmax over each position's target and the shared `negatives` (a
    /// drawn item that is the position's own target left out), each logit
    /// less its log expected count in the draw when given.
    static func sampled(_ model: some ItemScorer, hidden: Variable, targets: [Int32], negatives: [Int32],
                        logExpectedCounts: (targets: [Float], negatives: [Float])? = nil) -> Variable {
        let tape = hidden.tape, k = negatives.count
        var positive = tape.reshape(model.scoresOf(hidden, items: targets), [targets.count, 1])
        var drawn = model.scores(hidden, against: negatives)
        if let logExpectedCounts {
            positive = tape.sub(positive, tape.constant(Tensor(shape: [targets.count, 1], scalars: logExpectedCounts.targets)))
            drawn = tape.sub(drawn, tape.constant(Tensor(shape: [k], scalars: logExpectedCounts.negatives)))
        }
        let logits = tape.concat([positive, drawn], axis: 1)
        var accidental = [Bool](repeating: false, count: targets.count * (k + 1))
        for (p, t) in targets.enumerated() { for (j, n) in negatives.enumerated() where n == t { accidental[p * (k + 1) + 1 + j] = true } }
        let masked = tape.maskedFill(logits, mask: accidental, value: -1e9)
        return tape.softmaxCrossEntropy(masked, targets: [Int32](repeating: 0, count: targets.count))
    }
}

/// Training popularity of the table's items, for popularity-sampled
/// negatives: each item's training count plus one (so every item can be
/// drawn), none for the padding row.
public struct ItemPopularity: Sendable {
    private let table: AliasTable
    private let probability: [Double]

    /// Popularity over `rows` table rows from training sequences of row ids (1-based: row 0 is padding).
    public init(rows: Int, sequences: [[Int32]]) {
        var counts = [Double](repeating: 1, count: rows)
        counts[0] = 0
        for sequence in sequences { for row in sequence { counts[Int(row)] += 1 } }
        let total = counts.reduce(0, +)
        probability = counts.map { $0 / total }
        table = AliasTable(weights: counts)
    }

    /// One row, drawn in proportion to popularity.
    public func draw(_ rng: inout SeededGenerator) -> Int32 { table.sample(&rng) }

    /// log(draws · q(row)): the log of the row's expected count among `draws` draws.
    public func logExpectedCount(_ row: Int32, draws: Int) -> Float { Float(log(Double(draws) * probability[Int(row)])) }
}
