import Autograd

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
    /// Bayesian personalised ranking: per position, −log σ(target score −
    /// score of one uniformly drawn other item).
    case bpr

    /// A short name for reports: "full", "sampled-K" or "bpr".
    public var name: String {
        switch self {
        case .fullSoftmax: "full"
        case .sampledSoftmax(let k): "sampled-\(k)"
        case .bpr: "bpr"
        }
    }

    /// The mean loss over positions with hidden states `hidden` `[P, D]` and
    /// targets `targets` (table rows, none padding); negatives are drawn from
    /// rows 1..<rows with `rng`.
    public func callAsFunction(_ model: some ItemScorer, hidden: Variable, targets: [Int32], rng: inout SeededGenerator) -> Variable {
        let tape = hidden.tape
        let rows = model.scoredRows
        switch self {
        case .fullSoftmax:
            return tape.softmaxCrossEntropy(model.scores(hidden), targets: targets)
        case .sampledSoftmax(let k):
            let negatives = (0..<k).map { _ in Int32(1 + rng.nextInt(below: rows - 1)) }
            let positive = tape.reshape(model.scoresOf(hidden, items: targets), [targets.count, 1])
            let logits = tape.concat([positive, model.scores(hidden, against: negatives)], axis: 1)
            var accidental = [Bool](repeating: false, count: targets.count * (k + 1))
            for (p, t) in targets.enumerated() { for (j, n) in negatives.enumerated() where n == t { accidental[p * (k + 1) + 1 + j] = true } }
            let masked = tape.maskedFill(logits, mask: accidental, value: -1e9)
            return tape.softmaxCrossEntropy(masked, targets: [Int32](repeating: 0, count: targets.count))
        case .bpr:
            let negatives = targets.map { t -> Int32 in
                let n = Int32(1 + rng.nextInt(below: rows - 2))  // rows 1..<rows without t
                return n >= t ? n + 1 : n
            }
            return tape.bprLoss(positive: model.scoresOf(hidden, items: targets), negative: model.scoresOf(hidden, items: negatives))
        }
    }
}
