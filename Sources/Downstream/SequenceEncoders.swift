import Autograd
import Layers

/// Turns embedded, left-padded histories into one hidden state per
/// position: what a next-item model puts between its item table and its
/// scores. `SequenceEncoderKind.make` builds the encoders Warmstart has.
public protocol SequenceEncoder: Module {
    /// Hidden states `[B * T, D]` from the embedded histories `[B, T, D]`
    /// (`histories` are the ids, 0 = padding, each `T` long; `maxLength` is
    /// the longest history the model reads).
    func encode(_ embedded: Variable, histories: [[Int32]], maxLength: Int) -> Variable
    /// The encoder's dropout layers, in a fixed order (for reseeding).
    var dropoutLayers: [Dropout] { get }
}

extension SequenceEncoderKind {
    /// A new encoder of this kind for `config`.
    public func make(_ config: NextItemConfig, rng: inout SeededGenerator) -> any SequenceEncoder {
        switch self {
        case .gru: return GRUEncoder(config, rng: &rng)
        case .sasrec: return SelfAttentionEncoder(config, rng: &rng)
        }
    }
}

/// GRU4Rec: one GRU layer; dropout (when configured) on the item vectors
/// going in and the states coming out.
public final class GRUEncoder: SequenceEncoder {
    /// The recurrent layer.
    public let gru: GRU
    /// Dropout in and out, if configured.
    public let dropout: Dropout?

    /// An encoder `config.dimension` wide.
    public init(_ config: NextItemConfig, rng: inout SeededGenerator) {
        gru = GRU(inputs: config.dimension, hidden: config.dimension, rng: &rng)
        dropout = config.dropout > 0 ? Dropout(probability: config.dropout, seed: rng.next()) : nil
    }

    /// "gru", and "input_dropout" when configured (the names model archives use).
    public var children: [(name: String, module: any Module)] {
        [("gru", gru as any Module)] + (dropout.map { [("input_dropout", $0 as any Module)] } ?? [])
    }

    /// The GRU's states at every position.
    public func encode(_ embedded: Variable, histories: [[Int32]], maxLength: Int) -> Variable {
        let states = gru(dropout.map { $0(embedded) } ?? embedded)
        return embedded.tape.reshape(dropout.map { $0(states) } ?? states, [embedded.shape[0] * embedded.shape[1], embedded.shape[2]])
    }

    /// The in/out dropout, if any.
    public var dropoutLayers: [Dropout] { dropout.map { [$0] } ?? [] }
}

/// SASRec: learned positions, causal self-attention blocks over the
/// non-padding positions, and a final layer norm.
public final class SelfAttentionEncoder: SequenceEncoder {
    /// Position vectors, `[maxLength, D]` (the last row is the latest position).
    public let positions: Embedding
    /// The attention blocks.
    public let blocks: [SelfAttentionBlock]
    /// The final layer norm.
    public let finalNorm: LayerNorm
    /// Dropout on the summed item and position vectors.
    public let inputDropout: Dropout

    /// An encoder with `config.blocks` blocks of `config.heads` heads.
    public init(_ config: NextItemConfig, rng: inout SeededGenerator) {
        positions = Embedding(count: config.maxLength, dimension: config.dimension, std: 0.1, rng: &rng)
        blocks = (0..<config.blocks).map { _ in SelfAttentionBlock(width: config.dimension, heads: config.heads, dropout: config.dropout, rng: &rng) }
        finalNorm = LayerNorm(dimension: config.dimension)
        inputDropout = Dropout(probability: config.dropout, seed: rng.next())
    }

    /// "positions", "block0" …, "final_norm", "input_dropout" (the names model archives use).
    public var children: [(name: String, module: any Module)] {
        [("positions", positions as any Module)] + blocks.enumerated().map { ("block\($0.offset)", $0.element as any Module) }
            + [("final_norm", finalNorm), ("input_dropout", inputDropout)]
    }

    /// Scaled item vectors plus positions, padding zeroed, the blocks under a causal padding mask, then the norm.
    public func encode(_ embedded: Variable, histories: [[Int32]], maxLength: Int) -> Variable {
        let tape = embedded.tape
        let (b, t, d) = (embedded.shape[0], embedded.shape[1], embedded.shape[2])
        let positionIds = (0..<b).flatMap { _ in (0..<t).map { Int32(maxLength - t + $0) } }
        var h = embedded * Float(d).squareRoot() + tape.reshape(positions(positionIds, on: tape), [b, t, d])
        h = inputDropout(h)
        let padding = histories.flatMap { $0 }.map { $0 == 0 }
        let keep = tape.constant(Tensor(shape: [b * t, 1], scalars: padding.map { $0 ? 0 : 1 }))
        h = tape.reshape(tape.mul(tape.reshape(h, [b * t, d]), keep), [b, t, d])
        let mask = AttentionMask(keyIsPadding: padding, length: t)
        for block in blocks { h = block(h, mask: mask) }
        return finalNorm(tape.reshape(h, [b * t, d]))
    }

    /// The input dropout, then each block's residual and attention dropout.
    public var dropoutLayers: [Dropout] { [inputDropout] + blocks.flatMap { [$0.dropout, $0.attention.dropout] } }
}
