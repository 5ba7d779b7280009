import Autograd
import Datasets

/// Scores every item for every user and ranks the held-out target among
/// them: the full-catalogue protocol of BENCHMARKS.md (no sampled
/// negatives; the user's training items excluded, the target never).
public enum FullRankingEvaluation {
    /// Which held-out target to score.
    public enum Target: String, Sendable { case validation, test }

    /// Most scores one block holds (64 MB): memory stays one block, never a
    /// row per user of the whole catalogue.
    public static let blockScores = 1 << 24

    /// Users per block for a catalogue of `items`: at most 256, at most `blockScores` scores.
    public static func blockSize(items: Int) -> Int { max(1, min(256, blockScores / max(items, 1))) }

    /// Ranks each user's held-out target among scores made a block of users
    /// at a time: `scoreBlock(users, scores)` fills `scores` with one row of
    /// `split.itemCount` per listed user (row-major); a user it cannot score
    /// gets −∞ at the target (a miss). Only users with a target are listed,
    /// in user order. A block's users are ranked on the worker threads
    /// `MathThreads` sets (`ParallelRows`); ranks do not depend on the thread count.
    /// With `collectTopK`, `recommended` holds every item in any user's top
    /// `k` (for coverage). With `excludeSeen` false, seen items stay in the
    /// ranking (repeat consumption).
    public static func evaluateBlocks(split: LeaveLastOutSplit, target: Target = .test, k: Int = 10, excludeSeen: Bool = true,
                                      collectTopK: Bool = false, blockSize: Int? = nil,
                                      scoreBlock: (_ users: [Int], _ scores: UnsafeMutablePointer<Float>) -> Void)
        -> (report: RankingReport, recommended: Set<Int>) {
        let n = split.itemCount
        let targets = target == .test ? split.test : split.validation
        let users = targets.indices.filter { targets[$0] != nil }
        let size = blockSize ?? Self.blockSize(items: n)
        var ranks: [Int?] = [], recommended = Set<Int>()
        ranks.reserveCapacity(users.count)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, min(size, users.count) * n))
        defer { buffer.deallocate() }
        for start in stride(from: 0, to: users.count, by: size) {
            let block = Array(users[start..<min(start + size, users.count)])
            scoreBlock(block, buffer)
            let scores = UncheckedShare(buffer)
            let parts = ParallelRows.map(rows: block.count, width: n) { rows -> [(rank: Int?, top: [Int])] in
                rows.map { b in
                    let user = block[b], t = Int(targets[user]!)
                    let row = UnsafeBufferPointer(start: scores.value + b * n, count: n)
                    let seen = excludeSeen ? Set(split.train[user].map(Int.init)) : []
                    let top = collectTopK ? RankingMetrics.topK(row, k: k, excluding: seen) : []
                    return (row[t] > -.infinity ? RankingMetrics.rank(of: t, scores: row, excluded: seen) : nil, top)
                }
            }
            for part in parts {
                for (rank, top) in part { ranks.append(rank); recommended.formUnion(top) }
            }
        }
        return (RankingReport(ranks: ranks, k: k), recommended)
    }

    /// `evaluateBlocks` one user at a time, for cheap scorers: `score(user,
    /// history, scores)` fills `scores` (one per item) for a user, or returns
    /// false when it cannot score that user (a miss).
    public static func evaluate(split: LeaveLastOutSplit, target: Target = .test, k: Int = 10, excludeSeen: Bool = true,
                                score: (_ user: Int, _ history: [Int32], _ scores: inout [Float]) -> Bool) -> RankingReport {
        var scores = [Float](repeating: 0, count: split.itemCount)
        let targets = target == .test ? split.test : split.validation
        return evaluateBlocks(split: split, target: target, k: k, excludeSeen: excludeSeen, blockSize: 1) { users, out in
            let user = users[0]
            if !score(user, split.train[user], &scores) { scores[Int(targets[user]!)] = -.infinity }
            scores.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
        }.report
    }

    /// Ranks by dot products, a block of users at a time in one matrix
    /// product: user `u`'s scores are `query(u) · table[i] + offsets[i]`
    /// (`table` is `[split.itemCount, d]`; `query` writes `d` floats, or
    /// returns false when it cannot score the user: a miss). An offset of
    /// −∞ takes an item out of every ranking (one the model cannot score).
    public static func evaluateDotProducts(split: LeaveLastOutSplit, target: Target = .test, k: Int = 10, table: Tensor,
                                           offsets: [Float]? = nil,
                                           query: (_ user: Int, _ into: UnsafeMutablePointer<Float>) -> Bool) -> RankingReport {
        let n = split.itemCount, d = table.shape[1]
        precondition(table.shape[0] == n && (offsets?.count ?? n) == n, "a table row and an offset per item")
        let queries = UnsafeMutablePointer<Float>.allocate(capacity: blockSize(items: n) * d)
        defer { queries.deallocate() }
        return evaluateBlocks(split: split, target: target, k: k) { users, scores in
            var scorable = [Bool](repeating: true, count: users.count)
            for (b, user) in users.enumerated() {
                scorable[b] = query(user, queries + b * d)
                if !scorable[b] { (queries + b * d).update(repeating: 0, count: d) }
            }
            table.withUnsafeBufferPointer { productWithTransposed(queries, rows: users.count, $0.baseAddress!, rows: n, width: d, into: scores) }
            for b in users.indices {
                let row = scores + b * n
                if !scorable[b] { row.update(repeating: -.infinity, count: n); continue }
                if let offsets { for i in 0..<n { row[i] += offsets[i] } }
            }
        }.report
    }
}
