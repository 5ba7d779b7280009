import Autograd

/// Each user's history split as BENCHMARKS.md says: ordered by (timestamp,
/// item key), the last item is the test target, the one before it the
/// validation target, the rest is training. Users with fewer than 3 events
/// keep them all in training and have no targets.
public struct LeaveLastOutSplit: Sendable {
    /// Training items per user, in order.
    public var train: [[Int32]]
    /// Timestamps of the training items per user (empty arrays without times).
    public var trainTimestamps: [[Double]]
    /// Ratings of the training items per user (empty arrays without ratings).
    public var trainRatings: [[Float]]
    /// Validation target per user.
    public var validation: [Int32?]
    /// Test target per user.
    public var test: [Int32?]
    /// Number of items in the catalogue.
    public var itemCount: Int

    /// Splits `data`. Item keys that are integers compare as numbers.
    public init(_ data: Interactions) {
        let order = Self.chronologicalOrder(data)
        itemCount = data.itemCount
        train = []; trainTimestamps = []; trainRatings = []; validation = []; test = []
        for events in order {
            let parts = Self.cut(events)
            train.append(parts.train.map { data.items[$0] })
            trainTimestamps.append(data.timestamps.map { t in parts.train.map { t[$0] } } ?? [])
            trainRatings.append(data.ratings.map { r in parts.train.map { r[$0] } } ?? [])
            validation.append(parts.validation.map { data.items[$0] })
            test.append(parts.test.map { data.items[$0] })
        }
    }

    /// One user's events in time order cut into training events, the
    /// validation event and the test event (the last two); a user with fewer
    /// than 3 events keeps them all for training.
    public static func cut(_ events: [Int]) -> (train: ArraySlice<Int>, validation: Int?, test: Int?) {
        guard events.count >= 3 else { return (events[...], nil, nil) }
        return (events.dropLast(2), events[events.count - 2], events[events.count - 1])
    }

    /// Splits `data` and refuses data too small to evaluate on: at least one
    /// user needs the 3 events the split takes (training, validation, test).
    public init(checking data: Interactions) throws {
        self.init(data)
        guard test.contains(where: { $0 != nil }) else {
            throw DatasetError.invalidRequest("\(data.source): too little data: \(data.count) event(s) from \(data.userCount) user(s), and no user has the 3 events leave-last-out needs (training, validation, test)")
        }
    }

    /// Event indices per user, sorted by (timestamp, item key).
    public static func chronologicalOrder(_ data: Interactions) -> [[Int]] {
        let rank = itemKeyRank(data.itemVocabulary)
        var perUser = [[Int]](repeating: [], count: data.userCount)
        for i in 0..<data.count { perUser[Int(data.users[i])].append(i) }
        let times = data.timestamps
        for u in perUser.indices {
            perUser[u].sort { a, b in
                let ta = times?[a] ?? 0, tb = times?[b] ?? 0
                if ta != tb { return ta < tb }
                let ra = rank[Int(data.items[a])], rb = rank[Int(data.items[b])]
                return ra != rb ? ra < rb : a < b
            }
        }
        return perUser
    }

    /// Position of each item key in key order (numeric keys by value, before other keys).
    static func itemKeyRank(_ vocabulary: Vocabulary) -> [Int] {
        let sorted = vocabulary.keys.indices.sorted { a, b in
            let ka = vocabulary.keys[a], kb = vocabulary.keys[b]
            switch (Int(ka), Int(kb)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return ka < kb
            }
        }
        var rank = [Int](repeating: 0, count: vocabulary.count)
        for (position, index) in sorted.enumerated() { rank[index] = position }
        return rank
    }

    /// The training events as interactions (for matrix factorization and graphs).
    public func trainingInteractions(users: Vocabulary, items: Vocabulary, source: String) -> Interactions {
        var u: [Int32] = [], i: [Int32] = []
        for (user, seq) in train.enumerated() {
            u.append(contentsOf: repeatElement(Int32(user), count: seq.count)); i.append(contentsOf: seq)
        }
        let hasTimes = trainTimestamps.contains { !$0.isEmpty }, hasRatings = trainRatings.contains { !$0.isEmpty }
        return Interactions(users: u, items: i, ratings: hasRatings ? trainRatings.flatMap { $0 } : nil,
                            timestamps: hasTimes ? trainTimestamps.flatMap { $0 } : nil, weights: nil,
                            userVocabulary: users, itemVocabulary: items, source: source + " (leave-last-out training part)")
    }
}

/// Index splits of events or labelled examples.
public enum IndexSplit {
    /// A random split: `trainFraction` of `0..<count` in the first part,
    /// the rest in the second, both in ascending order. Seeded.
    public static func random(count: Int, trainFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var order = Array(0..<count)
        shuffle(&order, &rng)
        let cut = Int((Double(count) * trainFraction).rounded())
        return (order[..<cut].sorted(), order[cut...].sorted())
    }

    /// The evaluation protocol's three parts: 80/20 with `seed`, then the 80
    /// split 90/10 with `seed + 1` into the part a model fits and the part
    /// that picks its epoch (and threshold). Stratified by `labels` when
    /// given, else random; indices into `0..<count`, ascending.
    public static func fitValidationTest(count: Int, labels: [Int32]? = nil, seed: UInt64) -> (fit: [Int], validation: [Int], test: [Int]) {
        func cut(_ indices: [Int], _ fraction: Double, _ seed: UInt64) -> ([Int], [Int]) {
            let (a, b) = labels.map { l in stratified(labels: indices.map { l[$0] }, trainFraction: fraction, seed: seed) }
                ?? random(count: indices.count, trainFraction: fraction, seed: seed)
            return (a.map { indices[$0] }, b.map { indices[$0] })
        }
        let (train, test) = cut(Array(0..<count), 0.8, seed)
        let (fit, validation) = cut(train, 0.9, seed &+ 1)
        return (fit, validation, test)
    }

    /// A stratified split: each label keeps `trainFraction` of its examples
    /// (rounded) in the first part. Seeded; ascending order.
    public static func stratified(labels: [Int32], trainFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var byLabel: [Int32: [Int]] = [:]
        for (i, label) in labels.enumerated() { byLabel[label, default: []].append(i) }
        var train: [Int] = [], test: [Int] = []
        for label in byLabel.keys.sorted() {
            var members = byLabel[label]!
            shuffle(&members, &rng)
            let cut = Int((Double(members.count) * trainFraction).rounded())
            train += members[..<cut]; test += members[cut...]
        }
        return (train.sorted(), test.sorted())
    }

    /// A stratified sample of `fraction` of `indices` (at least one per label
    /// present), for label-efficiency curves. Seeded; ascending order.
    public static func stratifiedSample(_ indices: [Int], labels: [Int32], fraction: Double, seed: UInt64) -> [Int] {
        let sub = indices.map { labels[$0] }
        let picked = stratified(labels: sub, trainFraction: fraction, seed: seed).train
        var chosen = Set(picked)
        var seen = Set(picked.map { sub[$0] })
        for (k, label) in sub.enumerated() where !seen.contains(label) { chosen.insert(k); seen.insert(label) }
        return chosen.sorted().map { indices[$0] }
    }

    /// Events before `cutTime` and at or after it. Needs timestamps.
    public static func temporal(_ data: Interactions, cutTime: Double) throws -> (before: [Int], after: [Int]) {
        guard let times = data.timestamps else {
            throw DatasetError.invalidRequest("\(data.source): a temporal split needs a timestamp column")
        }
        var before: [Int] = [], after: [Int] = []
        for (i, t) in times.enumerated() { if t < cutTime { before.append(i) } else { after.append(i) } }
        return (before, after)
    }

    /// Fisher–Yates with the project's generator (inlinable, so each element
    /// type gets its own copy instead of generic swaps through metadata).
    @inlinable
    public static func shuffle<T>(_ array: inout [T], _ rng: inout SeededGenerator) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, rng.nextInt(below: i + 1))
        }
    }
}
