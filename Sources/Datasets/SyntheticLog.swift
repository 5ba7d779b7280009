import Autograd
import FileIO
import Foundation

/// Sizes and structure of BENCHMARKS.md W7's synthetic interaction log.
public struct SyntheticLogConfig: Sendable, Codable, Equatable {
    /// Users, items and events (about; each user's count is drawn).
    public var users = 50_000, items = 100_000, events = 1_000_000
    /// Items per cluster.
    public var clusterSize = 100
    /// Zipf exponent of item popularity (over the catalogue, and so within each cluster).
    public var zipfExponent = 1.0
    /// Home clusters per user.
    public var homeClusters = 3
    /// Where each next event comes from: the previous item's cluster, a home
    /// cluster, global popularity, or a repeat of one of the user's earlier
    /// items (the remainder, `1 − sameCluster − home − popular`).
    public var sameCluster = 0.5, home = 0.25, popular = 0.2
    /// Chance that an event starts a new session (a gap of hours to days; within a session, seconds to minutes).
    public var newSession = 0.15
    /// Seed of every draw: the same seed and sizes give the same file, byte for byte.
    public var seed: UInt64 = 7

    /// W7 size S: 50k users, 100k items, 1M events, 5% repeats.
    public init() {}

    /// The share of events that repeat an earlier item of the user.
    public var repeatShare: Double { max(0, 1 - sameCluster - home - popular) }

    /// The same log with `share` of its events repeats, the other sources
    /// scaled in proportion (W7 with a high repeat share: baskets, music).
    public func withRepeatShare(_ share: Double) -> SyntheticLogConfig {
        var c = self
        let rest = sameCluster + home + popular, scale = rest > 0 ? (1 - min(max(share, 0), 1)) / rest : 0
        c.sameCluster *= scale; c.home *= scale; c.popular *= scale
        return c
    }
}

/// A seeded generator of interaction logs with the structure real ones have
/// (BENCHMARKS.md, "W7's synthetic log"), written as a RecBole `.inter` file
/// so that every command and every reference reads it.
public enum SyntheticLog {
    /// Writes the log `config` describes to `path` (atomically); returns the number of events.
    @discardableResult
    public static func write(_ config: SyntheticLogConfig, to path: String) throws -> Int {
        guard config.users >= 1, config.items >= 2, config.events >= config.users, config.clusterSize >= 1, config.homeClusters >= 1,
              [config.sameCluster, config.home, config.popular, config.newSession].allSatisfy({ (0...1).contains($0) }),
              config.sameCluster + config.home + config.popular <= 1 else {
            throw DatasetError.invalidRequest("synthetic log: sizes must be positive (at least one event per user) and the source shares in [0, 1], summing to at most 1")
        }
        var rng = SeededGenerator(seed: config.seed)
        // Popularity: Zipf over a seeded permutation of the items; clusters are runs of clusterSize ids.
        var rank = Array(0..<config.items)
        IndexSplit.shuffle(&rank, &rng)
        let weights = rank.map { 1 / pow(Double($0 + 1), config.zipfExponent) }
        let global = AliasTable(weights: weights)
        let clusterCount = (config.items + config.clusterSize - 1) / config.clusterSize
        let clusters = (0..<clusterCount).map { c in
            AliasTable(weights: Array(weights[(c * config.clusterSize)..<min(config.items, (c + 1) * config.clusterSize)]))
        }
        let clusterPopularity = AliasTable(weights: (0..<clusterCount).map { c in
            weights[(c * config.clusterSize)..<min(config.items, (c + 1) * config.clusterSize)].reduce(0, +)
        })
        func inCluster(_ c: Int, _ rng: inout SeededGenerator) -> Int { c * config.clusterSize + Int(clusters[c].sample(&rng)) }
        let meanEvents = Double(config.events) / Double(config.users)
        var written = 0
        try AtomicFile.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let out = FileHandle(forWritingAtPath: temporary) else {
                throw DatasetError.unreadable(file: path, message: "cannot create the file")
            }
            defer { try? out.close() }
            var buffer = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
            for user in 0..<config.users {
                let homes = (0..<config.homeClusters).map { _ in Int(clusterPopularity.sample(&rng)) }
                let count = max(1, Int((-log(max(Double(rng.nextUnitFloat()), 1e-9)) * meanEvents).rounded()))
                var time = 1_500_000_000 + Double(rng.nextInt(below: 30 * 86_400)), history: [Int] = []
                for k in 0..<count {
                    let u = Double(rng.nextUnitFloat())
                    let item: Int
                    if k == 0 {
                        item = inCluster(homes[rng.nextInt(below: homes.count)], &rng)
                    } else if u < config.sameCluster {
                        item = inCluster(history[history.count - 1] / config.clusterSize, &rng)
                    } else if u < config.sameCluster + config.home {
                        item = inCluster(homes[rng.nextInt(below: homes.count)], &rng)
                    } else if u < config.sameCluster + config.home + config.popular {
                        item = Int(global.sample(&rng))
                    } else {
                        item = history[rng.nextInt(below: history.count)]
                    }
                    history.append(item)
                    time += Double(rng.nextUnitFloat()) < config.newSession ? Double(3_600 + rng.nextInt(below: 3 * 86_400))
                        : Double(10 + rng.nextInt(below: 300))
                    buffer += "u\(user)\ti\(item)\t1\t\(Int64(time))\n"
                    written += 1
                }
                if buffer.utf8.count > 1 << 20 { out.write(Data(buffer.utf8)); buffer = "" }
            }
            out.write(Data(buffer.utf8))
        }
        return written
    }
}
