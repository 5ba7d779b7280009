import Autograd

/// Layer normalisation over the last axis with a learned scale and shift.
public final class LayerNorm: Module {
    /// The scale, ones at first.
    public let gamma: Parameter
    /// The shift, zeros at first.
    public let beta: Parameter
    /// Added to the variance.
    public let epsilon: Float

    /// A layer for rows of `dimension` values.
    public init(dimension: Int, epsilon: Float = 1e-5) {
        gamma = Parameter(Tensor(shape: [dimension], repeating: 1))
        beta = Parameter(Tensor(zeros: [dimension]))
        self.epsilon = epsilon
    }

    /// "weight" and "bias", as PyTorch names them.
    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", gamma), ("bias", beta)] }

    /// Normalises each row of `x`.
    public func callAsFunction(_ x: Variable) -> Variable {
        let tape = x.tape
        return tape.layerNorm(x, gamma: tape.parameter(gamma), beta: tape.parameter(beta), epsilon: epsilon)
    }
}

/// Inverted dropout while training; the identity in evaluation mode.
public final class Dropout: Module {
    /// Probability of zeroing an element.
    public let probability: Float
    /// Whether the layer is in training mode.
    public private(set) var isTraining = true
    private var rng: SeededGenerator

    /// A dropout layer with its own seeded stream.
    public init(probability: Float, seed: UInt64) {
        self.probability = probability
        rng = SeededGenerator(seed: seed)
    }

    /// Restarts the layer's random stream (per-epoch streams make resumed runs repeat exactly).
    public func reseed(_ seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// Records the mode.
    public func setTraining(_ isTraining: Bool) { self.isTraining = isTraining }

    /// Drops elements of `x` in training mode.
    public func callAsFunction(_ x: Variable) -> Variable {
        guard isTraining, probability > 0 else { return x }
        return x.tape.dropout(x, probability: probability, using: &rng)
    }
}
