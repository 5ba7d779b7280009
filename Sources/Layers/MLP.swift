import Autograd

/// Linear layers with ReLU (and optional dropout) between them; the last
/// layer is left linear (logits).
public final class MLP: Module {
    /// The linear layers in order.
    public let layers: [Linear]
    /// Dropout applied after each hidden activation.
    public let dropout: Dropout?

    /// Layers of widths `widths[0] -> widths[1] -> … -> widths.last`.
    public init(widths: [Int], dropout probability: Float = 0, rng: inout SeededGenerator) {
        precondition(widths.count >= 2, "MLP: needs at least an input and an output width, got \(widths)")
        var layers: [Linear] = []
        for (a, b) in zip(widths, widths.dropFirst()) {
            layers.append(Linear(inputs: a, outputs: b, rng: &rng))
        }
        self.layers = layers
        dropout = probability > 0 ? Dropout(probability: probability, seed: rng.next()) : nil
    }

    /// Layers named by position: "0", "1", …
    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element as any Module) }
            + (dropout.map { [("dropout", $0 as any Module)] } ?? [])
    }

    /// Applies the network to `x` of shape `[N, widths[0]]`.
    public func callAsFunction(_ x: Variable) -> Variable {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = layer(h)
            if i < layers.count - 1 {
                h = h.tape.relu(h)
                if let dropout { h = dropout(h) }
            }
        }
        return h
    }
}
