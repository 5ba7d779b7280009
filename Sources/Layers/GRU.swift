import Autograd

/// One GRU layer with PyTorch's equations and parameter layout:
///   r = σ(W_ir x + b_ir + W_hr h + b_hr)
///   z = σ(W_iz x + b_iz + W_hz h + b_hz)
///   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
///   h' = (1 − z) ⊙ n + z ⊙ h
/// with `weight_ih` `[3H, E]` and `weight_hh` `[3H, H]` stacked in (r, z, n) order.
public final class GRU: Module {
    /// Input-to-hidden weights `[3H, E]`.
    public let weightIH: Parameter
    /// Hidden-to-hidden weights `[3H, H]`.
    public let weightHH: Parameter
    /// Input biases `[3H]`.
    public let biasIH: Parameter
    /// Hidden biases `[3H]`.
    public let biasHH: Parameter
    /// Hidden width.
    public let hidden: Int

    /// A layer initialised as PyTorch does: U(−1/√H, 1/√H).
    public init(inputs: Int, hidden: Int, rng: inout SeededGenerator) {
        let bound = 1 / Float(hidden).squareRoot()
        weightIH = Parameter(.uniform(shape: [3 * hidden, inputs], low: -bound, high: bound, using: &rng))
        weightHH = Parameter(.uniform(shape: [3 * hidden, hidden], low: -bound, high: bound, using: &rng))
        biasIH = Parameter(.uniform(shape: [3 * hidden], low: -bound, high: bound, using: &rng))
        biasHH = Parameter(.uniform(shape: [3 * hidden], low: -bound, high: bound, using: &rng))
        self.hidden = hidden
    }

    /// PyTorch's names.
    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }

    /// Runs over `x` of shape `[B, T, E]` from a zero state; returns every
    /// step's hidden state as `[B, T, H]` (one fused op on the tape).
    public func callAsFunction(_ x: Variable) -> Variable {
        let tape = x.tape
        precondition(x.shape.count == 3, "GRU: input must be [batch, time, features], got \(x.shape)")
        return tape.gru(x, weightIH: tape.parameter(weightIH), weightHH: tape.parameter(weightHH),
                        biasIH: tape.parameter(biasIH), biasHH: tape.parameter(biasHH))
    }
}
