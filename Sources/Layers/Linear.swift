import Autograd

/// y = x Wᵀ + b, with W stored `[outputs, inputs]` as PyTorch stores it.
public final class Linear: Module {
    /// The weight, `[outputs, inputs]`.
    public let weight: Parameter
    /// The bias, `[outputs]`, if any.
    public let bias: Parameter?

    /// A layer initialised as PyTorch does: both drawn from U(-1/√inputs, 1/√inputs).
    public init(inputs: Int, outputs: Int, bias hasBias: Bool = true, rng: inout SeededGenerator) {
        let bound = 1 / Float(inputs).squareRoot()
        weight = Parameter(.uniform(shape: [outputs, inputs], low: -bound, high: bound, using: &rng))
        bias = hasBias ? Parameter(.uniform(shape: [outputs], low: -bound, high: bound, using: &rng)) : nil
    }

    /// The weight and, when present, the bias.
    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// Applies the layer to `x` of shape `[N, inputs]`.
    public func callAsFunction(_ x: Variable) -> Variable {
        let tape = x.tape
        guard let bias else { return tape.matmul(x, tape.parameter(weight), transposeB: true) }
        return tape.linear(x, weight: tape.parameter(weight), bias: tape.parameter(bias))
    }
}
