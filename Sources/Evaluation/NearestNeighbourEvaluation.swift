import Archive
import Autograd
import Datasets

/// BENCHMARKS.md W2's quality figure: for each user, the last training
/// item's nearest neighbours by cosine over the whole catalogue, the user's
/// training items excluded, scored against a held-out target.
public enum NearestNeighbourEvaluation {
    /// Ranks every user's target. `embeddings` are keyed by item key; items
    /// missing from them cannot be recommended (their score is -∞), and a
    /// user whose last item or target is missing counts as a miss.
    public static func evaluate(_ embeddings: KeyedEmbeddings, split: LeaveLastOutSplit, items: Vocabulary,
                                target: FullRankingEvaluation.Target = .test, k: Int = 10) -> RankingReport {
        let n = items.count, d = embeddings.dimension
        // Unit vectors in catalogue order; items without embeddings get a zero row and an offset of -∞.
        var unit = Tensor(zeros: [n, d])
        var offsets = [Float](repeating: 0, count: n)
        let normalized = embeddings.normalized()
        unit.withUnsafeMutableBufferPointer { u in
            normalized.vectors.withUnsafeBufferPointer { v in
                for i in 0..<n {
                    guard let row = normalized.row(of: items.key(at: Int32(i))) else { offsets[i] = -.infinity; continue }
                    (u.baseAddress! + i * d).update(from: v.baseAddress! + row * d, count: d)
                }
            }
        }
        return FullRankingEvaluation.evaluateDotProducts(split: split, target: target, k: k, table: unit, offsets: offsets) { user, query in
            guard let last = split.train[user].last, offsets[Int(last)] == 0 else { return false }
            unit.withUnsafeBufferPointer { query.update(from: $0.baseAddress! + Int(last) * d, count: d) }
            return true
        }
    }
}

/// How often an item's nearest neighbours share a category with it: the
/// intrinsic check of item embeddings on data with genres.
public enum CategoryAgreement {
    /// Mean over items (with categories) of the fraction of their `k`
    /// nearest neighbours sharing at least one category, and the same for
    /// `k` items drawn at random (the chance level), seeded.
    public static func measure(_ embeddings: KeyedEmbeddings, categories: [String: [String]], k: Int = 10,
                               seed: UInt64 = 0) -> (neighbours: Double, chance: Double) {
        let labelled = embeddings.keys.enumerated().filter { !(categories[$0.element] ?? []).isEmpty }
        guard labelled.count > k else { return (0, 0) }
        let normalized = embeddings.normalized()
        var rng = SeededGenerator(seed: seed)
        var agree = 0.0, chance = 0.0
        for (_, key) in labelled {
            let mine = Set(categories[key]!)
            let neighbours = normalized.nearest(to: key, k: k) ?? []
            agree += Double(neighbours.filter { !mine.isDisjoint(with: categories[$0.key] ?? []) }.count) / Double(k)
            var hits = 0
            for _ in 0..<k {
                let other = labelled[rng.nextInt(below: labelled.count)].element
                if !mine.isDisjoint(with: categories[other] ?? []) { hits += 1 }
            }
            chance += Double(hits) / Double(k)
        }
        return (agree / Double(labelled.count), chance / Double(labelled.count))
    }

    /// `measure` as archive metrics ("genre_agreement@10" and its chance
    /// level), or none without categories.
    public static func metrics(_ embeddings: KeyedEmbeddings, categories: [String: [String]]?) -> [String: JSONValue] {
        guard let categories else { return [:] }
        let agreement = measure(embeddings, categories: categories)
        return ["genre_agreement@10": .number(agreement.neighbours), "genre_agreement@10_chance": .number(agreement.chance)]
    }
}
