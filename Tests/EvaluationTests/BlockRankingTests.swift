import Autograd
import Datasets
import Evaluation
import Testing

/// The block ranking that every full-catalogue figure goes through, checked
/// against a plain one-user-at-a-time count written out here.
@Suite("Full ranking a block at a time: the same ranks as counting by hand")
struct BlockRankingTests {
    /// A seeded split of `users` users over `items` items (histories of 3 to 12 events, repeats included).
    private func split(users: Int, items: Int, seed: UInt64) -> LeaveLastOutSplit {
        var rng = SeededGenerator(seed: seed)
        var uv = Vocabulary(), iv = Vocabulary()
        for i in 0..<items { _ = iv.add("i\(i)") }
        var u: [Int32] = [], it: [Int32] = [], t: [Double] = []
        for user in 0..<users {
            let length = 3 + rng.nextInt(below: 10)
            for k in 0..<length { u.append(uv.add("u\(user)")); it.append(Int32(rng.nextInt(below: items))); t.append(Double(k)) }
        }
        return LeaveLastOutSplit(Interactions(users: u, items: it, ratings: nil, timestamps: t, weights: nil,
                                              userVocabulary: uv, itemVocabulary: iv, source: "seeded"))
    }

    /// Rank by definition: 1 + the other items, not seen in training, scoring at least the target's score.
    private func handRank(_ scores: [Float], target: Int, seen: [Int32]) -> Int {
        1 + scores.indices.filter { $0 != target && scores[$0] >= scores[target] && !seen.contains(Int32($0)) }.count
    }

    @Test("rank and top K by hand: ties count against the target, exclusions, the lower index first on ties")
    func topKByHand() {
        let scores: [Float] = [0.3, 0.9, 0.5, 0.9, 0.1, 0.5]
        scores.withUnsafeBufferPointer { s in
            #expect(RankingMetrics.topK(s, k: 3, excluding: []) == [1, 3, 2])
            #expect(RankingMetrics.topK(s, k: 3, excluding: [1]) == [3, 2, 5])
            #expect(RankingMetrics.topK(s, k: 10, excluding: [0, 4]) == [1, 3, 2, 5])
            #expect(RankingMetrics.topK(s, k: 0, excluding: []) == [])
            #expect(RankingMetrics.rank(of: 2, scores: s, excluded: [1, 1, 4]) == 3)  // 3 and 5 above or level
        }
    }

    @Test("evaluateBlocks: every block size and 1 or 2 threads give the ranks counted by hand, and the top K union")
    func blocksMatchHand() {
        let split = split(users: 150, items: 1_000, seed: 3)
        var rng = SeededGenerator(seed: 4)
        // Coarse scores, so that ties occur.
        var scores = (0..<150).map { _ in (0..<1_000).map { _ in Float(rng.nextInt(below: 50)) } }
        for user in stride(from: 1, to: 150, by: 5) { scores[user][Int(split.test[user]!)] = 50 }  // above every other score: some hits
        for user in stride(from: 0, to: 150, by: 7) { scores[user][Int(split.test[user]!)] = -.infinity }  // users the scorer cannot score
        var expected: [Int?] = [], expectedTop = Set<Int>()
        for user in 0..<150 {
            guard let t = split.test[user] else { continue }
            expected.append(user % 7 == 0 ? nil : handRank(scores[user], target: Int(t), seen: split.train[user]))
            let order = scores[user].indices.filter { !split.train[user].contains(Int32($0)) }
                .sorted { scores[user][$0] > scores[user][$1] || (scores[user][$0] == scores[user][$1] && $0 < $1) }
            expectedTop.formUnion(order.prefix(10))
        }
        #expect(expected.contains(nil) && expected.contains { ($0 ?? 0) > 10 } && expected.contains { ($0 ?? 99) <= 10 })
        for threads in [1, 2] {
            MathThreads.setBLASThreads(threads)
            for size in [1, 7, 64, nil] as [Int?] {
                let (report, top) = FullRankingEvaluation.evaluateBlocks(split: split, collectTopK: true, blockSize: size) { users, out in
                    for (b, user) in users.enumerated() {
                        for i in 0..<1_000 { out[b * 1_000 + i] = scores[user][i] }
                    }
                }
                #expect(report.ranks == expected, "threads \(threads), block \(String(describing: size))")
                #expect(top == expectedTop, "\(top.symmetricDifference(expectedTop).count) items differ; threads \(threads), block \(String(describing: size))")
            }
        }
        MathThreads.setBLASThreads(1)
    }

    @Test("evaluateDotProducts: query · row + offset, an offset of −∞ drops an item, an unscorable user is a miss")
    func dotProducts() {
        let split = split(users: 40, items: 30, seed: 5)
        var rng = SeededGenerator(seed: 6)
        let table = Tensor(shape: [30, 4], scalars: (0..<120).map { _ in Float(rng.nextInt(below: 9)) - 4 })
        let queries = (0..<40).map { _ in (0..<4).map { _ in Float(rng.nextInt(below: 5)) - 2 } }
        var offsets = (0..<30).map { _ in Float(rng.nextInt(below: 3)) }
        offsets[5] = -.infinity
        let report = FullRankingEvaluation.evaluateDotProducts(split: split, table: table, offsets: offsets) { user, q in
            guard user != 3 else { return false }
            for j in 0..<4 { q[j] = queries[user][j] }
            return true
        }
        var expected: [Int?] = []
        for user in 0..<40 {
            guard let t = split.test[user] else { continue }
            let scores = (0..<30).map { i in (0..<4).reduce(offsets[i]) { $0 + queries[user][$1] * table[i, $1] } }
            expected.append(user == 3 || Int(t) == 5 ? nil : handRank(scores, target: Int(t), seen: split.train[user]))
        }
        #expect(report.ranks == expected)
        #expect(expected.contains(nil) && expected.compactMap { $0 }.count > 20)
    }
}
