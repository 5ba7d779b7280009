import Datasets
import Testing

@Suite("Splits, sessions and the transition graph")
struct SplitTests {
    @Test("leave-last-out orders by (timestamp, item key) and holds out the last two")
    func leaveLastOut() throws {
        let data = try Interactions.read(path: fixture("tiny-recbole.tsv"), layout: .recBole, columns: .recBole)
        let split = LeaveLastOutSplit(data)
        // user 1: (50, 11) (50, 12) (100, 10) (4000, 13) → train [11, 12], validation 10, test 13
        let key = { (i: Int32) in data.itemVocabulary.key(at: i) }
        #expect(split.train[0].map(key) == ["11", "12"])
        #expect(split.validation[0].map(key) == "10" && split.test[0].map(key) == "13")
        #expect(split.trainTimestamps[0] == [50, 50] && split.trainRatings[0] == [3, 4])
        // users with fewer than 3 events keep them for training, without targets
        #expect(split.train[1].count == 2 && split.validation[1] == nil && split.test[2] == nil)
    }

    @Test("random, stratified and temporal splits")
    func indexSplits() throws {
        let (a, b) = IndexSplit.random(count: 1000, trainFraction: 0.8, seed: 0)
        #expect(a.count == 800 && b.count == 200 && Set(a).isDisjoint(with: b) && Set(a + b).count == 1000)
        #expect(IndexSplit.random(count: 1000, trainFraction: 0.8, seed: 0).train == a)
        #expect(IndexSplit.random(count: 1000, trainFraction: 0.8, seed: 1).train != a)
        let labels: [Int32] = Array(repeating: 0, count: 90) + Array(repeating: 1, count: 10)
        let (train, test) = IndexSplit.stratified(labels: labels, trainFraction: 0.8, seed: 0)
        #expect(train.filter { labels[$0] == 1 }.count == 8 && test.filter { labels[$0] == 1 }.count == 2 && train.count == 80)
        let sample = IndexSplit.stratifiedSample(train, labels: labels, fraction: 0.01, seed: 3)
        #expect(Set(sample.map { labels[$0] }) == [0, 1] && Set(sample).isSubset(of: Set(train)))
        let data = try Interactions.read(path: fixture("tiny-recbole.tsv"), layout: .recBole, columns: .recBole)
        let (before, after) = try IndexSplit.temporal(data, cutTime: 60)
        #expect(before.count == 5 && after == [0, 3])
    }

    @Test("sessions cut at the time gap, with the last highly rated item as conversion")
    func sessions() throws {
        let data = try Interactions.read(path: fixture("tiny-recbole.tsv"), layout: .recBole, columns: .recBole)
        var split = LeaveLastOutSplit(data)
        // put all of user 1's events back into training to see the gap
        split.train[0] = [1, 2, 0, 3]; split.trainTimestamps[0] = [50, 50, 100, 4000]; split.trainRatings[0] = [3, 4, 5, 2]
        let sessions = SequenceBuilder.sessions(split, maximumGap: 1800, conversionMinimumRating: 4, minimumLength: 1)
        let user1 = sessions.filter { $0.user == 0 }
        #expect(user1.map(\.items) == [[1, 2, 0], [3]])
        #expect(user1[0].conversion == 0 && user1[1].conversion == nil)
    }

    @Test("transition graph counts consecutive pairs")
    func graph() {
        let g = TransitionGraph(sequences: [[0, 1, 2], [0, 1, 1, 3], [2, 0]], nodeCount: 4)
        #expect(g.neighbours(of: 0).map(\.target) == [1] && g.neighbours(of: 0)[0].weight == 2)
        #expect(g.neighbours(of: 1).map(\.target) == [2, 3] && g.neighbours(of: 3).isEmpty && g.edgeCount == 4)
    }
}
