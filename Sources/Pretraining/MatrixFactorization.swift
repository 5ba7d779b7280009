import Autograd
import Datasets
import Evaluation
import Layers

/// A penalty on the rows a batch touched, built on the tape: changing the
/// regularizer is writing another function.
public typealias Regularizer = (_ tape: Tape, _ rows: [Variable]) -> Variable

/// Ready-made regularizers.
public enum Regularizers {
    /// `weight` × the sum of squares of every touched row (BENCHMARKS.md W1).
    public static func l2(_ weight: Float) -> Regularizer {
        { tape, rows in
            let sums = rows.map { tape.sum(tape.square($0)) }
            return sums.dropFirst().reduce(sums[0], +) * weight
        }
    }

    /// A weight per touched-row group (for matrix factorization: user vectors,
    /// item vectors, user biases, item biases), each × its sum of squares.
    public static func l2(perRow weights: [Float]) -> Regularizer {
        { tape, rows in
            precondition(weights.count == rows.count, "Regularizers.l2(perRow:): \(weights.count) weights for \(rows.count) row groups")
            let terms = zip(rows, weights).map { tape.sum(tape.square($0)) * $1 }
            return terms.dropFirst().reduce(terms[0], +)
        }
    }

    /// No penalty.
    public static var none: Regularizer { { tape, _ in tape.constant(Tensor(scalar: 0)) } }
}

/// Biased matrix factorization: score(u, i) = μ + b_u + b_i + p_u·q_i, with
/// the tables as embeddings (row-sparse gradients).
public final class MatrixFactorization: Module {
    /// User vectors.
    public let users: Embedding
    /// Item vectors.
    public let items: Embedding
    /// User biases, `[users, 1]`.
    public let userBias: Embedding
    /// Item biases, `[items, 1]`.
    public let itemBias: Embedding
    /// The global mean μ (the training mean for ratings; 0 for implicit data).
    public let globalMean: Float

    /// Tables drawn from N(0, std²), biases at zero.
    public init(userCount: Int, itemCount: Int, dimension: Int, std: Float = 0.01, globalMean: Float,
                rng: inout SeededGenerator) {
        users = Embedding(count: userCount, dimension: dimension, std: std, rng: &rng)
        items = Embedding(count: itemCount, dimension: dimension, std: std, rng: &rng)
        userBias = Embedding(pretrained: Tensor(zeros: [userCount, 1]))
        itemBias = Embedding(pretrained: Tensor(zeros: [itemCount, 1]))
        self.globalMean = globalMean
    }

    /// A model from existing tables.
    public init(users: Embedding, items: Embedding, userBias: Embedding, itemBias: Embedding, globalMean: Float) {
        self.users = users
        self.items = items
        self.userBias = userBias
        self.itemBias = itemBias
        self.globalMean = globalMean
    }

    /// "users", "items", "user_bias", "item_bias".
    public var children: [(name: String, module: any Module)] {
        [("users", users), ("items", items), ("user_bias", userBias), ("item_bias", itemBias)]
    }

    /// Scores of (user, item) pairs, and the rows they touched for the regularizer.
    public func score(users u: [Int32], items i: [Int32], on tape: Tape) -> (scores: Variable, rows: [Variable]) {
        let p = users(u, on: tape), q = items(i, on: tape)
        let bu = userBias(u, on: tape), bi = itemBias(i, on: tape)
        let dot = tape.sum(p * q, axis: 1)
        let biases = tape.reshape(bu + bi, [u.count])
        return (dot + biases + globalMean, [p, q, bu, bi])
    }

    /// `user`'s score for every item, through `score` (full-catalogue ranking).
    public func scoresOfAllItems(user: Int, into scores: inout [Float]) {
        let itemCount = items.table.value.shape[0]
        let all = score(users: [Int32](repeating: Int32(user), count: itemCount), items: (0..<itemCount).map { Int32($0) }, on: Tape())
        scores = all.scores.value.scalars
    }

    /// HR@10, NDCG@10 and MRR of `split`'s `target` items over the full
    /// catalogue, ranked as `scoresOfAllItems` would rank them, a block of
    /// users per matrix product: p_u·q_i + b_i (μ + b_u is the same for all
    /// of a user's items and cannot change their order).
    public func rankTargets(split: LeaveLastOutSplit, target: FullRankingEvaluation.Target) -> RankingReport {
        let p = users.table.value, d = p.shape[1]
        return FullRankingEvaluation.evaluateDotProducts(split: split, target: target, table: items.table.value,
                                                         offsets: itemBias.table.value.scalars) { user, query in
            p.withUnsafeBufferPointer { query.update(from: $0.baseAddress! + user * d, count: d) }
            return true
        }
    }
}

/// The feed-forward view of the same data: [p_u, q_i] -> MLP -> score.
public final class FeedForwardRecommender: Module {
    /// User vectors.
    public let users: Embedding
    /// Item vectors.
    public let items: Embedding
    /// The scoring network.
    public let mlp: MLP
    /// Added to every score (the training mean for ratings).
    public let globalMean: Float

    /// Tables drawn from N(0, std²) and an MLP of `hidden` widths.
    public init(userCount: Int, itemCount: Int, dimension: Int, hidden: [Int], std: Float = 0.01, globalMean: Float,
                rng: inout SeededGenerator) {
        users = Embedding(count: userCount, dimension: dimension, std: std, rng: &rng)
        items = Embedding(count: itemCount, dimension: dimension, std: std, rng: &rng)
        mlp = MLP(widths: [2 * dimension] + hidden + [1], rng: &rng)
        self.globalMean = globalMean
    }

    /// "users", "items", "mlp".
    public var children: [(name: String, module: any Module)] { [("users", users), ("items", items), ("mlp", mlp)] }

    /// Scores of (user, item) pairs and the touched rows.
    public func score(users u: [Int32], items i: [Int32], on tape: Tape) -> (scores: Variable, rows: [Variable]) {
        let p = users(u, on: tape), q = items(i, on: tape)
        let out = mlp(tape.concat([p, q], axis: 1))
        return (tape.reshape(out, [u.count]) + globalMean, [p, q])
    }
}

extension MatrixFactorization {
    /// The model whose every score is the mean of `models`' scores (a bagged
    /// ensemble), as one factorization: user and item vectors concatenated
    /// side by side and scaled by 1/√K, biases and global means averaged.
    /// Its width is the sum of theirs; all must cover the same users and items.
    public static func averaging(_ models: [MatrixFactorization]) -> MatrixFactorization {
        precondition(!models.isEmpty, "MatrixFactorization.averaging: no models")
        let weight = 1 / Float(models.count)
        return MatrixFactorization(users: Embedding(pretrained: sideBySideForAveraging(models.map(\.users.table.value))),
                                   items: Embedding(pretrained: sideBySideForAveraging(models.map(\.items.table.value))),
                                   userBias: Embedding(pretrained: elementwiseMean(models.map(\.userBias.table.value))),
                                   itemBias: Embedding(pretrained: elementwiseMean(models.map(\.itemBias.table.value))),
                                   globalMean: models.reduce(0) { $0 + $1.globalMean } * weight)
    }
}

/// Row-wise concatenation of K tables with every value scaled by 1/√K: the
/// dot product of two such concatenations is the mean of the K dot products.
func sideBySideForAveraging(_ tables: [Tensor]) -> Tensor {
    let scale = 1 / Float(tables.count).squareRoot()
    let rows = tables[0].shape[0], width = tables.reduce(0) { $0 + $1.shape[1] }
    var scalars = [Float](); scalars.reserveCapacity(rows * width)
    let all = tables.map(\.scalars)
    for r in 0..<rows {
        for (t, s) in zip(tables, all) { let w = t.shape[1]; scalars += s[(r * w)..<((r + 1) * w)].map { $0 * scale } }
    }
    return Tensor(shape: [rows, width], scalars: scalars)
}

/// The element-wise mean of same-shape tensors.
func elementwiseMean(_ tensors: [Tensor]) -> Tensor {
    let all = tensors.map(\.scalars), weight = 1 / Float(tensors.count)
    return Tensor(shape: tensors[0].shape, scalars: (0..<all[0].count).map { i in all.reduce(0) { $0 + $1[i] } * weight })
}
