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
    /// One branch-free pass over the scores, then a correction for the
    /// excluded ones (cheap when they are few, as a user's history is).
    public static func rank(of target: Int, scores: UnsafeBufferPointer<Float>, excluded: Set<Int>) -> Int {
        let t = scores[target]
        var atLeast = countAtLeast(t, in: scores)
        for i in excluded where i != target && scores[i] >= t { atLeast -= 1 }
        return max(1, atLeast)  // the target counted itself (a NaN target counts nothing: rank 1, as no score is >= NaN)
    }

    /// How many of `scores` are at least `t`, eight lanes at a time (the
    /// compiler leaves the plain loop a compare and a branch per score).
    static func countAtLeast(_ t: Float, in scores: UnsafeBufferPointer<Float>) -> Int {
        guard let p = scores.baseAddress else { return 0 }
        let n = scores.count, threshold = SIMD8<Float>(repeating: t), one = SIMD8<Int32>(repeating: 1)
        var lanes = SIMD8<Int32>(), i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            lanes &+= SIMD8<Int32>().replacing(with: one, where: v .>= threshold)
            i += 8
        }
        var count = Int(lanes.wrappedSum())
        while i < n { if p[i] >= t { count += 1 }; i += 1 }
        return count
    }

    /// The indices of the `k` highest scores, best first, skipping
    /// `excluded` (ties: the lower index first). The exclusion is only
    /// looked up for a score that would enter the list.
    public static func topK(_ scores: UnsafeBufferPointer<Float>, k: Int, excluding excluded: Set<Int>) -> [Int] {
        guard k > 0 else { return [] }
        var best: [(index: Int, score: Float)] = []
        best.reserveCapacity(k + 1)
        for (i, s) in scores.enumerated() {
            if best.count == k, !(s > best[k - 1].score) { continue }
            if excluded.contains(i) { continue }
            best.insert((i, s), at: best.firstIndex { s > $0.score } ?? best.count)
            if best.count > k { best.removeLast() }
        }
        return best.map(\.index)
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
