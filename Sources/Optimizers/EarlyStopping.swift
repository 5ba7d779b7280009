import Autograd

/// Which evaluation's weights a run ends with.
public enum CheckpointSelection: String, Sendable, Codable, CaseIterable {
    /// The evaluation with the best validation figure.
    case best
    /// The evaluation that ends the best mean of `EarlyStopping.smoothingWindow`
    /// consecutive figures: one lucky evaluation on a small, noisy validation
    /// set does not win.
    case smoothed
    /// The last evaluation, whatever its figure (no early stop): what most
    /// reference scripts do.
    case last
}

/// Early stopping on a validation figure (higher is better): keeps the
/// weights of the evaluation `selection` picks and counts evaluations since;
/// the classifier and next-item trainers share it.
public struct EarlyStopping {
    /// Evaluations in a `smoothed` figure.
    public static let smoothingWindow = 3
    /// Evaluations without a better figure before stopping (nil: never stop; `last` never stops).
    public let patience: Int?
    /// How the kept evaluation is picked.
    public let selection: CheckpointSelection
    /// The best (for `smoothed`: best mean) figure so far; for `last`, the last figure.
    public private(set) var best: Double
    /// Evaluations since the best.
    public private(set) var sinceBest: Int
    /// The parameters' values at the kept evaluation, in parameter order.
    public private(set) var weights: [Tensor]?
    /// The latest figures (at most `smoothingWindow`), oldest first.
    public private(set) var recent: [Double]

    /// A fresh record (`best` below any figure), or one resumed from a
    /// snapshot (`recent`: the last figures recorded, oldest first).
    public init(patience: Int?, selection: CheckpointSelection = .best, best: Double = -1, sinceBest: Int = 0,
                weights: [Tensor]? = nil, recent: [Double] = []) {
        self.patience = patience
        self.selection = selection
        self.best = best
        self.sinceBest = sinceBest
        self.weights = weights
        self.recent = Array(recent.suffix(Self.smoothingWindow))
    }

    /// Records an evaluation; returns true (keeping `parameters`' values)
    /// when it becomes the kept one: a better figure (`best`), a better mean
    /// of the latest figures (`smoothed`), or always (`last`).
    @discardableResult
    public mutating func record(_ figure: Double, parameters: [Parameter]) -> Bool {
        recent = Array((recent + [figure]).suffix(Self.smoothingWindow))
        let compared = selection == .smoothed ? recent.reduce(0, +) / Double(recent.count) : figure
        guard selection == .last || compared > best else { sinceBest += 1; return false }
        best = compared
        sinceBest = 0
        weights = parameters.map(\.value)
        return true
    }

    /// Starts counting evaluations afresh (the best so far is kept): when
    /// training changes course, as when a frozen table starts to train.
    public mutating func restartPatience() { sinceBest = 0 }

    /// Whether the patience has run out.
    public var shouldStop: Bool { patience.map { sinceBest >= $0 } ?? false }

    /// Puts the kept weights back into `parameters` (nothing when none were kept).
    public func restore(_ parameters: [Parameter]) {
        guard let weights else { return }
        for (p, w) in zip(parameters, weights) { p.value = w }
    }
}
