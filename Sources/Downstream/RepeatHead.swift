import Autograd
import Foundation
import Layers

/// A repeat-aware head (after RepeatNet, Ren et al. 2019): the next item is
/// drawn either from the user's own history or from the catalogue. A copy
/// distribution attends over the history's positions up to the current one
/// (the hidden state's projection against the items' vectors, plus a
/// learned weight on how long ago each position was; an item seen several
/// times collects the weight of each position), the catalogue softmax
/// scores every item, and a learned gate σ(w · h + b) mixes them:
/// P(i) = g · copy(i) + (1 − g) · softmax(i). Trained end to end on the
/// tape by the mixture's negative log-likelihood.
public final class RepeatHead: Module {
    /// Projects a hidden state into the items' space for the copy attention, `[D, D]`.
    public let query: Linear
    /// The gate's logit from a hidden state, `[1, D]` plus a bias.
    public let gate: Linear
    /// Weight on recency, (τ − j) / T for position j seen from τ, `[1]`.
    public let recency: Parameter
    private let dimension: Int

    /// A head for hidden states of width `dimension`.
    public init(dimension: Int, rng: inout SeededGenerator) {
        self.dimension = dimension
        query = Linear(inputs: dimension, outputs: dimension, bias: false, rng: &rng)
        // Copy attention starts uniform: each history item weighted by how often it occurs.
        query.weight.value = Tensor(zeros: [dimension, dimension])
        gate = Linear(inputs: dimension, outputs: 1, rng: &rng)
        recency = Parameter(Tensor(zeros: [1]))
    }

    /// Starts the gate at `share` for every state (zero weights, the bias
    /// at its logit, kept within [0.001, 0.999]): the training data's own
    /// share of repeats, so that a log without repeats starts (and, at Adam's
    /// small steps, stays) close to the plain model instead of giving the
    /// copy part half the probability.
    public func startGate(atShare share: Double) {
        let s = min(max(share, 0.001), 0.999)
        gate.weight.value = Tensor(zeros: gate.weight.value.shape)
        gate.bias?.value = Tensor(shape: [1], scalars: [Float(log(s / (1 - s)))])
    }

    /// "query" and "gate".
    public var children: [(name: String, module: any Module)] { [("query", query), ("gate", gate)] }
    /// "recency".
    public var ownParameters: [(name: String, parameter: Parameter)] { [("recency", recency)] }

    /// Copy weights `[B * Q, T]` for the states `queries` `[B * Q, D]` at
    /// positions `taus` (the same Q positions of every history): row b·Q + q
    /// attends over the positions j ≤ taus[q] of history b that hold an item.
    func copyWeights(queries: Variable, at taus: [Int], items: Embedding, histories: [[Int32]]) -> Variable {
        let tape = queries.tape, b = histories.count, t = histories.first?.count ?? 0, q = taus.count, d = dimension
        let keys = tape.reshape(items(histories.flatMap { $0 }, on: tape), [b, t, d])
        let logits = tape.batchedMatmul(tape.reshape(query(queries), [b, q, d]), keys, transposeB: true)
        var ago = [Float](repeating: 0, count: q * t)
        for (k, tau) in taus.enumerated() { for j in 0...tau { ago[k * t + j] = Float(tau - j) / Float(max(t, 1)) } }
        let recent = tape.mul(tape.constant(Tensor(shape: [q * t], scalars: ago)), tape.parameter(recency))
        let withRecency = tape.reshape(tape.add(tape.reshape(logits, [b, q * t]), recent), [b, q, t])
        var mask = [Bool](repeating: true, count: b * q * t)
        for (row, history) in histories.enumerated() {
            for (k, tau) in taus.enumerated() { for j in 0...tau where history[j] != 0 { mask[(row * q + k) * t + j] = false } }
        }
        return tape.reshape(tape.maskedSoftmax(withRecency, scale: 1 / Float(d).squareRoot(), mask: mask), [b * q, t])
    }

    /// The mixture's mean negative log-likelihood of `targets` at `positions`
    /// (row indices b·T + τ of `hidden`, each with a target).
    public func loss(_ model: NextItemModel, hidden: Variable, histories: [[Int32]], positions: [Int32], targets: [Int32]) -> Variable {
        let tape = hidden.tape, p = positions.count, t = histories.first?.count ?? 0, rows = model.scoredRows
        let weights = tape.gather(copyWeights(queries: hidden, at: Array(0..<t), items: model.items, histories: histories), positions)
        var isTarget = [Float](repeating: 0, count: p * t)
        for (k, position) in positions.enumerated() {
            let history = histories[Int(position) / t]
            for j in 0..<t where history[j] == targets[k] { isTarget[k * t + j] = 1 }
        }
        let copied = tape.sum(tape.mul(weights, tape.constant(Tensor(shape: [p, t], scalars: isTarget))), axis: 1)
        let states = tape.gather(hidden, positions)
        let logProbabilities = tape.reshape(tape.logSoftmax(model.scores(states)), [p * rows, 1])
        let catalogue = tape.exp(tape.reshape(tape.gather(logProbabilities, targets.enumerated().map { Int32($0.offset * rows) + $0.element }), [p]))
        let g = tape.reshape(tape.sigmoid(gate(states)), [p])
        let mixture = tape.add(catalogue, tape.mul(g, tape.sub(copied, catalogue)))
        return tape.affine(tape.mean(tape.log(tape.affine(mixture, scale: 1, shift: 1e-8))), scale: -1)
    }

    /// Log-probabilities `[histories, rows]` of the item after each
    /// history's last position, from the catalogue `scores` of those
    /// positions and `hidden` (every position, evaluation mode).
    public func lastPositionLogProbabilities(_ model: NextItemModel, hidden: Variable, histories: [[Int32]], scores: Tensor) -> Tensor {
        let tape = hidden.tape, n = histories.count, t = histories.first?.count ?? 0, rows = scores.shape[1]
        let last = (0..<n).map { Int32($0 * t + t - 1) }
        let states = tape.gather(hidden, last)  // only the last positions attend: the others are not ranked
        let weights = copyWeights(queries: states, at: [t - 1], items: model.items, histories: histories).value
        let gates = tape.sigmoid(gate(states)).value
        var out = Tensor(uninitializedShape: [n, rows])
        out.withUnsafeMutableBufferPointer { o in
            scores.withUnsafeBufferPointer { s in
                for r in 0..<n {
                    let row = s[(r * rows)..<((r + 1) * rows)]
                    let top = row.max() ?? 0
                    let total = row.reduce(Float(0)) { $0 + expf($1 - top) }
                    let g = gates[flat: r]
                    for i in 0..<rows { o[r * rows + i] = (1 - g) * expf(s[r * rows + i] - top) / total }
                    for j in 0..<t where histories[r][j] != 0 { o[r * rows + Int(histories[r][j])] += g * weights[r, j] }
                    for i in 0..<rows { o[r * rows + i] = logf(o[r * rows + i] + 1e-12) }
                }
            }
        }
        return out
    }
}
