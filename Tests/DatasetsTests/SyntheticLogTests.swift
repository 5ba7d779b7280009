import Datasets
import Foundation
import Testing

/// W7's generator: byte-for-byte repeatable, about the sizes asked for, and
/// with the structure it promises (cluster locality, repeats, sessions).
@Suite("W7 synthetic log")
struct SyntheticLogTests {
    private func config(repeatShare: Double = 0.05, seed: UInt64 = 7) -> SyntheticLogConfig {
        var c = SyntheticLogConfig()
        c.users = 300; c.items = 2_000; c.events = 9_000; c.clusterSize = 50; c.seed = seed
        return c.withRepeatShare(repeatShare)
    }

    private func write(_ c: SyntheticLogConfig) throws -> (path: String, data: Interactions) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("w7-\(UUID().uuidString).inter").path
        try SyntheticLog.write(c, to: path)
        return (path, try InteractionFiles.read(path: path))
    }

    @Test("the same seed and sizes give the same bytes; another seed does not")
    func repeatable() throws {
        let a = try write(config()), b = try write(config()), other = try write(config(seed: 8))
        let bytes = { (p: String) in try Data(contentsOf: URL(fileURLWithPath: p)) }
        #expect(try bytes(a.path) == bytes(b.path))
        #expect(try bytes(a.path) != bytes(other.path))
    }

    @Test("about the events asked for; next items stay in the previous item's cluster at least as often as asked; repeats at least the asked share")
    func structure() throws {
        for share in [0.05, 0.3] {
            let (_, data) = try write(config(repeatShare: share))
            #expect(abs(Double(data.count) / 9_000 - 1) < 0.15, "\(data.count) events")
            let order = LeaveLastOutSplit.chronologicalOrder(data)
            var sameCluster = 0, repeats = 0, pairs = 0
            for events in order {
                var seen = Set<String>()
                for (k, e) in events.enumerated() {
                    let item = data.itemVocabulary.key(at: data.items[e])
                    if k > 0 {
                        pairs += 1
                        let previous = data.itemVocabulary.key(at: data.items[events[k - 1]])
                        if Int(item.dropFirst())! / 50 == Int(previous.dropFirst())! / 50 { sameCluster += 1 }
                        if seen.contains(item) { repeats += 1 }
                    }
                    seen.insert(item)
                }
            }
            let asked = config(repeatShare: share).sameCluster
            #expect(Double(sameCluster) / Double(pairs) > asked, "same-cluster share \(Double(sameCluster) / Double(pairs)) for \(asked)")
            #expect(Double(repeats) / Double(pairs) >= share, "repeat share \(Double(repeats) / Double(pairs)) for \(share)")
        }
    }

    @Test("sizes and shares that cannot make a log are refused")
    func refused() {
        var c = config()
        c.events = 10
        #expect(throws: DatasetError.self) { try SyntheticLog.write(c, to: "/tmp/never.inter") }
        c = config()
        c.popular = 0.9
        #expect(throws: DatasetError.self) { try SyntheticLog.write(c, to: "/tmp/never.inter") }
    }
}
