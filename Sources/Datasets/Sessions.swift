/// A run of one user's events with no gap longer than the cut, and an
/// optional conversion item (Airbnb's booked listing).
public struct Session: Sendable, Equatable {
    /// The user.
    public var user: Int32
    /// Items in order.
    public var items: [Int32]
    /// The session's conversion item, if it has one.
    public var conversion: Int32?
}

/// Sequences, sessions and the item transition graph of training data.
public enum SequenceBuilder {
    /// Cuts each user's training sequence into sessions at gaps longer than
    /// `maximumGap` seconds (Airbnb uses 30 minutes). A session's conversion
    /// is its last item rated at least `conversionMinimumRating`, when ratings
    /// exist and a threshold is given. Sessions shorter than `minimumLength` are dropped.
    public static func sessions(_ split: LeaveLastOutSplit, maximumGap: Double = 1800,
                                conversionMinimumRating: Float? = nil, minimumLength: Int = 2) -> [Session] {
        var result: [Session] = []
        for (user, items) in split.train.enumerated() {
            let times = split.trainTimestamps[user], ratings = split.trainRatings[user]
            var start = 0
            func close(_ end: Int) {
                guard end - start >= minimumLength else { return }
                var conversion: Int32?
                if let threshold = conversionMinimumRating, !ratings.isEmpty {
                    conversion = (start..<end).last { ratings[$0] >= threshold }.map { items[$0] }
                }
                result.append(Session(user: Int32(user), items: Array(items[start..<end]), conversion: conversion))
            }
            for k in 1..<max(items.count, 1) where !times.isEmpty && times[k] - times[k - 1] > maximumGap {
                close(k); start = k
            }
            close(items.count)
        }
        return result
    }
}

/// The directed item transition graph: an edge a → b weighted by how often b
/// directly follows a in a sequence. Stored as compressed rows.
public struct TransitionGraph: Sendable {
    /// Number of nodes (items).
    public let nodeCount: Int
    /// `offsets[a]..<offsets[a+1]` index a's out-edges.
    public let offsets: [Int]
    /// Edge targets, sorted per source.
    public let targets: [Int32]
    /// Edge weights (transition counts).
    public let weights: [Float]

    /// The graph of consecutive pairs in `sequences` (self-loops skipped).
    public init(sequences: [[Int32]], nodeCount: Int) {
        var counts = [[Int32: Float]](repeating: [:], count: nodeCount)
        for seq in sequences {
            for (a, b) in zip(seq, seq.dropFirst()) where a != b { counts[Int(a)][b, default: 0] += 1 }
        }
        var offsets = [0], targets: [Int32] = [], weights: [Float] = []
        for node in 0..<nodeCount {
            for (t, w) in counts[node].sorted(by: { $0.key < $1.key }) { targets.append(t); weights.append(w) }
            offsets.append(targets.count)
        }
        self.nodeCount = nodeCount
        self.offsets = offsets
        self.targets = targets
        self.weights = weights
    }

    /// Number of edges.
    public var edgeCount: Int { targets.count }

    /// The out-edges of `node` as (target, weight) pairs.
    public func neighbours(of node: Int) -> [(target: Int32, weight: Float)] {
        (offsets[node]..<offsets[node + 1]).map { (targets[$0], weights[$0]) }
    }
}
