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
    /// step's hidden state as `[B, T, H]`.
    public func callAsFunction(_ x: Variable) -> Variable {
        let tape = x.tape
        let shape = x.shape
        precondition(shape.count == 3, "GRU: input must be [batch, time, features], got \(shape)")
        let (b, t, e) = (shape[0], shape[1], shape[2])
        let h3 = 3 * hidden
        // Input projections for all steps in one product: [B*T, 3H] viewed as [B, T, 3H].
        let projected = tape.reshape(tape.add(tape.matmul(tape.reshape(x, [b * t, e]), tape.parameter(weightIH), transposeB: true),
                                              tape.parameter(biasIH)), [b, t, h3])
        let whh = tape.parameter(weightHH), bhh = tape.parameter(biasHH)
        var h = tape.constant(Tensor(zeros: [b, hidden]))
        var states: [Variable] = []
        for step in 0..<t {
            let gi = tape.reshape(tape.slice(projected, axis: 1, step..<(step + 1)), [b, h3])
            let gh = tape.add(tape.matmul(h, whh, transposeB: true), bhh)
            let r = tape.sigmoid(tape.slice(gi, axis: 1, 0..<hidden) + tape.slice(gh, axis: 1, 0..<hidden))
            let z = tape.sigmoid(tape.slice(gi, axis: 1, hidden..<(2 * hidden)) + tape.slice(gh, axis: 1, hidden..<(2 * hidden)))
            let n = tape.tanh(tape.slice(gi, axis: 1, (2 * hidden)..<h3) + r * tape.slice(gh, axis: 1, (2 * hidden)..<h3))
            h = n + z * (h - n)  // (1 − z) n + z h
            states.append(h)
        }
        return tape.reshape(tape.concat(states, axis: 1), [b, t, hidden])
    }
}
