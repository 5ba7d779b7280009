import Autograd
import Layers

/// SVD++ (Koren, 2008): biased matrix factorization whose user vector is
/// augmented by the items the user rated in training, whatever the ratings:
/// score(u, i) = μ + b_u + b_i + q_i · (p_u + |N(u)|^-½ Σ_{j ∈ N(u)} y_j).
/// The implicit sum is one sum-mode embedding bag per distinct user of a
/// batch (weights |N(u)|^-½), gathered to the batch's examples.
public final class ImplicitFeedbackFactorization: Module {
    /// The explicit part: p, q and the biases.
    public let base: MatrixFactorization
    /// The implicit item factors y_j.
    public let implicitItems: Embedding
    /// Items each user rated in training (N(u)).
    public let ratedItems: [[Int32]]

    /// A model for `ratedItems.count` users; tables drawn from N(0, std²).
    public init(ratedItems: [[Int32]], itemCount: Int, dimension: Int, std: Float = 0.01, globalMean: Float,
                rng: inout SeededGenerator) {
        base = MatrixFactorization(userCount: ratedItems.count, itemCount: itemCount, dimension: dimension, std: std,
                                   globalMean: globalMean, rng: &rng)
        implicitItems = Embedding(count: itemCount, dimension: dimension, std: std, rng: &rng)
        self.ratedItems = ratedItems
    }

    /// A model from existing parts.
    public init(base: MatrixFactorization, implicitItems: Embedding, ratedItems: [[Int32]]) {
        self.base = base
        self.implicitItems = implicitItems
        self.ratedItems = ratedItems
    }

    /// The model whose every score is the mean of `models`' scores: the
    /// explicit parts averaged as `MatrixFactorization.averaging` does and
    /// the implicit factors concatenated and scaled by 1/√K alike (the score
    /// is bilinear in q and p + Σy). All must share `ratedItems`.
    public static func averaging(_ models: [ImplicitFeedbackFactorization]) -> ImplicitFeedbackFactorization {
        precondition(!models.isEmpty, "ImplicitFeedbackFactorization.averaging: no models")
        return ImplicitFeedbackFactorization(base: .averaging(models.map(\.base)),
                                             implicitItems: Embedding(pretrained: sideBySideForAveraging(models.map(\.implicitItems.table.value))),
                                             ratedItems: models[0].ratedItems)
    }

    /// The items each of `userCount` users rated in `data` (training triples).
    public static func ratedItems(_ data: RatingTriples, userCount: Int) -> [[Int32]] {
        var rated = [[Int32]](repeating: [], count: userCount)
        for k in 0..<data.count { rated[Int(data.users[k])].append(data.items[k]) }
        return rated
    }

    /// "base", "implicit_items".
    public var children: [(name: String, module: any Module)] { [("base", base), ("implicit_items", implicitItems)] }

    /// Scores of (user, item) pairs and the rows they touched: p, q, b_u, b_i
    /// per example, then every distinct implicit row y_j the batch used, once.
    public func score(users u: [Int32], items i: [Int32], on tape: Tape) -> (scores: Variable, rows: [Variable]) {
        var slot: [Int32: Int32] = [:], distinct: [Int32] = []
        let exampleSlots = u.map { user -> Int32 in
            if let s = slot[user] { return s }
            slot[user] = Int32(distinct.count); distinct.append(user)
            return Int32(distinct.count - 1)
        }
        var ids: [Int32] = [], offsets: [Int] = [], weights: [Float] = []
        for user in distinct {
            let rated = ratedItems[Int(user)]
            offsets.append(ids.count)
            ids += rated
            weights += [Float](repeating: 1 / Float(max(rated.count, 1)).squareRoot(), count: rated.count)
        }
        let bags = tape.embeddingBag(implicitItems.table, indices: ids, offsets: offsets, weights: weights, mode: .sum)
        let implicit = tape.gather(bags, exampleSlots)
        let p = base.users(u, on: tape), q = base.items(i, on: tape)
        let bu = base.userBias(u, on: tape), bi = base.itemBias(i, on: tape)
        let dot = tape.sum((p + implicit) * q, axis: 1)
        let yRows = tape.gather(implicitItems.table, Array(Set(ids)).sorted())
        return (dot + tape.reshape(bu + bi, [u.count]) + base.globalMean, [p, q, bu, bi, yRows])
    }
}

extension ImplicitFeedbackFactorization: PairScorer {}
