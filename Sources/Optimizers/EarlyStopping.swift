import Autograd

/// Early stopping on a validation figure (higher is better): keeps the
/// weights of the best evaluation and counts evaluations since; the
/// classifier and next-item trainers share it.
public struct EarlyStopping {
    /// Evaluations without a better figure before stopping (nil: never stop).
    public let patience: Int?
    /// The best figure so far.
    public private(set) var best: Double
    /// Evaluations since the best.
    public private(set) var sinceBest: Int
    /// The parameters' values at the best evaluation, in parameter order.
    public private(set) var weights: [Tensor]?

    /// A fresh record (`best` below any figure), or one resumed from a snapshot.
    public init(patience: Int?, best: Double = -1, sinceBest: Int = 0, weights: [Tensor]? = nil) {
        self.patience = patience
        self.best = best
        self.sinceBest = sinceBest
        self.weights = weights
    }

    /// Records an evaluation; returns true (keeping `parameters`' values) when it beats the best.
    @discardableResult
    public mutating func record(_ figure: Double, parameters: [Parameter]) -> Bool {
        guard figure > best else { sinceBest += 1; return false }
        best = figure
        sinceBest = 0
        weights = parameters.map(\.value)
        return true
    }

    /// Starts counting evaluations afresh (the best so far is kept): when
    /// training changes course, as when a frozen table starts to train.
    public mutating func restartPatience() { sinceBest = 0 }

    /// Whether the patience has run out.
    public var shouldStop: Bool { patience.map { sinceBest >= $0 } ?? false }

    /// Puts the best weights back into `parameters` (nothing when none were kept).
    public func restore(_ parameters: [Parameter]) {
        guard let weights else { return }
        for (p, w) in zip(parameters, weights) { p.value = w }
    }
}
