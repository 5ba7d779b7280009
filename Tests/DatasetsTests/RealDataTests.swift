import Datasets
import Foundation
import Testing

@Suite("The public datasets, as fetched")
struct RealDataTests {
    @Test("ml-100k: 100,000 ratings, 943 users, 1,682 items, every user at least 20 ratings; titles and genres")
    func movieLens() throws {
        guard let cache = realDataCache("ml-100k") else { return }
        let (data, catalog) = try PublicDatasets.movieLens100K(cache: cache)
        #expect(data.count == 100_000 && data.userCount == 943 && data.itemCount == 1682)
        var perUser = [Int](repeating: 0, count: data.userCount)
        for u in data.users { perUser[Int(u)] += 1 }
        #expect(perUser.min()! >= 20)
        #expect(catalog.titles["1"] == "Toy Story" && catalog.categories["1"] == ["Animation", "Children's", "Comedy"])
        #expect(catalog.titles.count == 1682)
    }

    @Test("ml-100k leave-last-out is leak-free: no validation or test event reaches training")
    func leakFree() throws {
        guard let cache = realDataCache("ml-100k") else { return }
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        let split = LeaveLastOutSplit(data)
        let training = split.trainingInteractions(users: data.userVocabulary, items: data.itemVocabulary, source: data.source)
        let graph = TransitionGraph(sequences: split.train, nodeCount: data.itemCount)
        #expect(training.count == 100_000 - 2 * 943 && graph.edgeCount > 0)
        var trainPairs = Set<Int64>()
        for k in 0..<training.count { trainPairs.insert(Int64(training.users[k]) << 32 | Int64(training.items[k])) }
        let order = LeaveLastOutSplit.chronologicalOrder(data)
        for user in 0..<data.userCount {
            let held = [split.validation[user]!, split.test[user]!]
            for item in held { #expect(!trainPairs.contains(Int64(user) << 32 | Int64(item)), "user \(user) item \(item) leaked") }
            // the held-out events are the user's two latest
            let lastTwo = order[user].suffix(2).map { data.items[$0] }
            #expect(lastTwo == held)
            let latestTrain = split.trainTimestamps[user].max()!
            #expect(order[user].suffix(2).allSatisfy { data.timestamps![$0] >= latestTrain })
        }
    }

    @Test("ml-100k ratings split: 80,000 / 20,000 with seed 0")
    func ratingsSplit() throws {
        guard let cache = realDataCache("ml-100k") else { return }
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        let (train, test) = IndexSplit.random(count: data.count, trainFraction: 0.8, seed: 0)
        #expect(train.count == 80_000 && test.count == 20_000 && Set(train).isDisjoint(with: test))
    }

    @Test("sms-spam: 4,862 messages, 642 spam; stratified 80/20 keeps the ratio")
    func sms() throws {
        guard let cache = realDataCache("sms-spam") else { return }
        let sms = try PublicDatasets.smsSpam(cache: cache)
        let spam = sms.labelVocabulary.index(of: "spam")!
        #expect(sms.count == 4862 && sms.labels.filter { $0 == spam }.count == 642)
        let (train, test) = IndexSplit.stratified(labels: sms.labels, trainFraction: 0.8, seed: 0)
        #expect(train.filter { sms.labels[$0] == spam }.count == 514 && test.filter { sms.labels[$0] == spam }.count == 128)
    }

    @Test("kjv: 31,102 verses without their numbers")
    func kjv() throws {
        guard let cache = realDataCache("kjv") else { return }
        let lines = try PublicDatasets.kjv(cache: cache)
        #expect(lines.count == 31_102)
        #expect(lines[0] == "In the beginning God created the heaven and the earth.")
    }
}
