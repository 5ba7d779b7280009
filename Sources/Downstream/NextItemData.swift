import Datasets
import Evaluation

/// Left-padded training windows and evaluation histories from a
/// leave-last-out split; item ids are shifted by one so that 0 is padding.
public struct NextItemData: Sendable {
    /// Item keys by table row (row 0: "<pad>").
    public let keys: [String]
    /// The split, in the original item ids.
    public let split: LeaveLastOutSplit
    /// Longest history.
    public let maxLength: Int
    /// When set, only these users are trained on (evaluation still covers everyone).
    public var trainingUserFilter: Set<Int>?

    /// Data for `split` over `items`.
    public init(split: LeaveLastOutSplit, items: Vocabulary, maxLength: Int) {
        keys = ["<pad>"] + items.keys
        self.split = split
        self.maxLength = maxLength
    }

    /// Catalogue rows including padding.
    public var rows: Int { keys.count }

    /// Users with a training window (at least two training items).
    public var trainingUsers: [Int] {
        split.train.indices.filter { split.train[$0].count >= 2 && (trainingUserFilter?.contains($0) ?? true) }
    }

    /// Positions with a target in one epoch of `last` windows (the unit of W5/W6 throughput).
    public var trainingPositionsPerEpoch: Int {
        trainingUsers.reduce(0) { $0 + min(split.train[$1].count, maxLength + 1) - 1 }
    }

    /// The share of training positions whose next item is already among
    /// the `maxLength` items before it (what a repeat-aware head can copy).
    public var repeatShare: Double {
        var repeats = 0, positions = 0
        for user in trainingUsers {
            let items = split.train[user]
            for k in 1..<items.count {
                positions += 1
                if items[max(0, k - maxLength)..<k].contains(items[k]) { repeats += 1 }
            }
        }
        return Double(repeats) / Double(max(positions, 1))
    }

    /// The input window (last `maxLength` of the last `maxLength + 1` training
    /// items before `end`, left-padded) and the next-item targets (-100 at
    /// padding) for `user`; `end` defaults to the whole training sequence.
    public func trainingWindow(user: Int, end: Int? = nil) -> (input: [Int32], targets: [Int32]) {
        let seq = split.train[user].prefix(end ?? split.train[user].count).suffix(maxLength + 1).map { $0 + 1 }
        let input = Array(seq.dropLast()), targets = Array(seq.dropFirst())
        let pad = maxLength - input.count
        return (Array(repeating: 0, count: pad) + input, Array(repeating: -100, count: pad) + targets)
    }

    /// The history that predicts `target`'s item: training items, plus the
    /// validation item when predicting the test item; left-padded.
    public func history(user: Int, for target: FullRankingEvaluation.Target) -> [Int32] {
        var seq = split.train[user]
        if target == .test, let v = split.validation[user] { seq.append(v) }
        let window = seq.suffix(maxLength).map { $0 + 1 }
        return Array(repeating: 0, count: maxLength - window.count) + window
    }

    /// Converts item keys to table rows, ignoring (and counting) unknown keys.
    public func rows(for keys: [String]) -> (rows: [Int32], unknown: [String]) {
        let index = Dictionary(uniqueKeysWithValues: self.keys.enumerated().map { ($0.element, Int32($0.offset)) })
        var rows: [Int32] = [], unknown: [String] = []
        for k in keys { if let r = index[k], r != 0 { rows.append(r) } else { unknown.append(k) } }
        return (rows, unknown)
    }
}

extension NextItemData {
    /// The same data with only `users` keeping their training windows (for label-fraction grids).
    public func restricted(toUsers users: Set<Int>) -> NextItemData {
        var copy = self
        copy.trainingUserFilter = users
        return copy
    }
}
