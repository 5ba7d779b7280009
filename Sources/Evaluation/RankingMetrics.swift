/// Ranking metrics from BENCHMARKS.md, from a target's 1-based rank in a
/// full ranking (nil when the target cannot be ranked: a miss everywhere).
public enum RankingMetrics {
    /// 1 when the target is in the top `k`.
    public static func hitRate(rank: Int?, k: Int) -> Double { (rank.map { $0 <= k } ?? false) ? 1 : 0 }

    /// 1 / log2(rank + 1) when the rank is at most `k`, else 0.
    public static func ndcg(rank: Int?, k: Int) -> Double {
        guard let rank, rank <= k else { return 0 }
        return 1 / (log2(Double(rank) + 1))
    }

    /// 1 / rank, with no cut.
    public static func reciprocalRank(rank: Int?) -> Double { rank.map { 1 / Double($0) } ?? 0 }

    /// The 1-based rank of `target` among `scores`, skipping `excluded`
    /// indices (the target itself is never skipped). Ties count against the
    /// target: every other candidate with an equal score ranks above it.
    public static func rank(of target: Int, scores: UnsafeBufferPointer<Float>, excluded: Set<Int>) -> Int {
        let t = scores[target]
        var above = 0
        for i in 0..<scores.count where i != target && scores[i] >= t && !excluded.contains(i) { above += 1 }
        return above + 1
    }
}

/// Per-user results and their means.
public struct RankingReport: Codable, Sendable {
    /// Users evaluated.
    public var users: Int
    /// Mean HR@K.
    public var hitRate: Double
    /// Mean NDCG@K.
    public var ndcg: Double
    /// Mean reciprocal rank.
    public var mrr: Double
    /// The cut-off K.
    public var k: Int
    /// Each user's rank (nil: not rankable), for significance tests.
    public var ranks: [Int?]

    /// Means over `ranks` at cut-off `k`.
    public init(ranks: [Int?], k: Int) {
        self.ranks = ranks
        self.k = k
        users = ranks.count
        let n = Double(max(ranks.count, 1))
        hitRate = ranks.map { RankingMetrics.hitRate(rank: $0, k: k) }.reduce(0, +) / n
        ndcg = ranks.map { RankingMetrics.ndcg(rank: $0, k: k) }.reduce(0, +) / n
        mrr = ranks.map { RankingMetrics.reciprocalRank(rank: $0) }.reduce(0, +) / n
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
