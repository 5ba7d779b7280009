import Autograd

/// Which keys each query may not attend to in a batch of `[B, T]`
/// sequences: later positions (causal) and padding. Built once per batch
/// and shared by every attention block.
public struct AttentionMask: Sendable {
    /// `masked[(b * T + i) * T + j]`: query i of sequence b must not see key j.
    public let masked: [Bool]

    /// The causal mask plus the padding keys (`keyIsPadding[b * T + j]`) of sequences `length` long.
    public init(keyIsPadding: [Bool], length t: Int) {
        let b = t == 0 ? 0 : keyIsPadding.count / t
        var masked = [Bool](repeating: false, count: b * t * t)
        for batch in 0..<b {
            for i in 0..<t {
                for j in 0..<t where j > i || keyIsPadding[batch * t + j] { masked[(batch * t + i) * t + j] = true }
            }
        }
        self.masked = masked
    }
}

/// Multi-head scaled dot-product self-attention with a causal mask and a
/// key-padding mask, as SASRec uses it.
public final class MultiHeadSelfAttention: Module {
    /// Query, key, value and output projections.
    public let query: Linear, key: Linear, value: Linear, output: Linear
    /// Number of heads (the width must divide by it).
    public let heads: Int
    /// Dropout on the attention weights.
    public let dropout: Dropout

    /// A layer of `width` features and `heads` heads.
    public init(width: Int, heads: Int, dropout: Float, rng: inout SeededGenerator) {
        precondition(width % heads == 0, "MultiHeadSelfAttention: width \(width) does not divide into \(heads) heads")
        query = Linear(inputs: width, outputs: width, rng: &rng)
        key = Linear(inputs: width, outputs: width, rng: &rng)
        value = Linear(inputs: width, outputs: width, rng: &rng)
        output = Linear(inputs: width, outputs: width, rng: &rng)
        self.heads = heads
        self.dropout = Dropout(probability: dropout, seed: rng.next())
    }

    /// "query", "key", "value", "output", "dropout".
    public var children: [(name: String, module: any Module)] {
        [("query", query), ("key", key), ("value", value), ("output", output), ("dropout", dropout)]
    }

    /// Attends over `x` `[B, T, D]` where `mask` allows (a position that
    /// sees nothing, such as a padding query at the left edge, gives zeros).
    public func callAsFunction(_ x: Variable, mask: AttentionMask) -> Variable {
        let tape = x.tape
        let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
        precondition(mask.masked.count == b * t * t, "MultiHeadSelfAttention: mask for \(mask.masked.count) pairs, input \(x.shape)")
        let flat = tape.reshape(x, [b * t, d])
        let q = tape.reshape(query(flat), [b, t, d]), k = tape.reshape(key(flat), [b, t, d]), v = tape.reshape(value(flat), [b, t, d])
        let width = d / heads
        let scale = 1 / Float(width).squareRoot()
        var outputs: [Variable] = []
        for head in 0..<heads {
            let columns = (head * width)..<((head + 1) * width)
            let qh = heads == 1 ? q : tape.slice(q, axis: 2, columns)
            let kh = heads == 1 ? k : tape.slice(k, axis: 2, columns)
            let vh = heads == 1 ? v : tape.slice(v, axis: 2, columns)
            let weights = tape.maskedSoftmax(tape.batchedMatmul(qh, kh, transposeB: true), scale: scale, mask: mask.masked)
            outputs.append(tape.batchedMatmul(dropout(weights), vh))
        }
        let joined = heads == 1 ? outputs[0] : tape.concat(outputs, axis: 2)
        return tape.reshape(output(tape.reshape(joined, [b * t, d])), [b, t, d])
    }
}

/// A pre-norm transformer block: x + Attention(LN(x)), then x + FFN(LN(x)),
/// with dropout on both residual branches.
public final class SelfAttentionBlock: Module {
    /// Attention and its norm.
    public let attention: MultiHeadSelfAttention, attentionNorm: LayerNorm
    /// Feed-forward layers and their norm.
    public let feedForward1: Linear, feedForward2: Linear, feedForwardNorm: LayerNorm
    /// Residual dropout.
    public let dropout: Dropout

    /// A block of `width` features.
    public init(width: Int, heads: Int, dropout p: Float, rng: inout SeededGenerator) {
        attention = MultiHeadSelfAttention(width: width, heads: heads, dropout: p, rng: &rng)
        attentionNorm = LayerNorm(dimension: width)
        feedForward1 = Linear(inputs: width, outputs: width, rng: &rng)
        feedForward2 = Linear(inputs: width, outputs: width, rng: &rng)
        feedForwardNorm = LayerNorm(dimension: width)
        dropout = Dropout(probability: p, seed: rng.next())
    }

    /// Sub-layers by name.
    public var children: [(name: String, module: any Module)] {
        [("attention", attention), ("attention_norm", attentionNorm), ("ffn1", feedForward1), ("ffn2", feedForward2),
         ("ffn_norm", feedForwardNorm), ("dropout", dropout)]
    }

    /// The block over `x` `[B, T, D]`.
    public func callAsFunction(_ x: Variable, mask: AttentionMask) -> Variable {
        let tape = x.tape
        let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
        let normed = tape.reshape(attentionNorm(tape.reshape(x, [b * t, d])), [b, t, d])
        let h = x + dropout(attention(normed, mask: mask))
        let flat = tape.reshape(h, [b * t, d])
        let ff = feedForward2(dropout(tape.relu(feedForward1(feedForwardNorm(flat)))))
        return h + tape.reshape(dropout(ff), [b, t, d])
    }
}
