import Datasets

/// Scores every item for every user and ranks the held-out target among
/// them: the full-catalogue protocol of BENCHMARKS.md (no sampled
/// negatives; the user's training items excluded, the target never).
public enum FullRankingEvaluation {
    /// Which held-out target to score.
    public enum Target: String, Sendable { case validation, test }

    /// `score(user, history, scores)` fills `scores` (one per item) for a
    /// user, or returns false when it cannot score that user (a miss).
    /// With `excludeSeen` false, seen items stay in the ranking (repeat consumption).
    public static func evaluate(split: LeaveLastOutSplit, target: Target = .test, k: Int = 10, excludeSeen: Bool = true,
                                score: (_ user: Int, _ history: [Int32], _ scores: inout [Float]) -> Bool) -> RankingReport {
        var ranks: [Int?] = []
        var scores = [Float](repeating: 0, count: split.itemCount)
        for (user, history) in split.train.enumerated() {
            guard let t = (target == .test ? split.test[user] : split.validation[user]) else { continue }
            guard score(user, history, &scores), scores[Int(t)] > -.infinity else { ranks.append(nil); continue }
            let seen = excludeSeen ? Set(history.map(Int.init)) : []
            ranks.append(scores.withUnsafeBufferPointer { RankingMetrics.rank(of: Int(t), scores: $0, excluded: seen) })
        }
        return RankingReport(ranks: ranks, k: k)
    }
}
