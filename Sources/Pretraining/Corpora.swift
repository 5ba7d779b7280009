import Autograd
import Datasets

/// Builds skip-gram corpora from training data. Every builder sees the
/// training part of a leave-last-out split only.
public enum Corpora {
    /// item2vec: each user's training sequence is a sentence of item keys.
    public static func userSequences(_ split: LeaveLastOutSplit, items: Vocabulary, minimumCount: Int = 1) -> SkipGramCorpus {
        SkipGramCorpus(sentences: split.train.map { $0.map { items.key(at: $0) } }, minimumCount: minimumCount)
    }

    /// Airbnb-style sessions: sentences cut at time gaps, each with its
    /// conversion item as a global context when it has one.
    public static func sessions(_ sessions: [Session], items: Vocabulary, minimumCount: Int = 1) -> SkipGramCorpus {
        var corpus = SkipGramCorpus(sentences: sessions.map { $0.items.map { items.key(at: $0) } }, minimumCount: minimumCount)
        var row: [String: Int32] = [:]
        for (i, k) in corpus.keys.enumerated() { row[k] = Int32(i) }
        corpus.globalContext = sessions.map { s in s.conversion.flatMap { row[items.key(at: $0)] } ?? -1 }
        return corpus
    }

    /// Plain text: one sentence per line, tokenized as BENCHMARKS.md says.
    public static func text(_ lines: [String], tokenizer: Tokenizer = Tokenizer(), minimumCount: Int) -> SkipGramCorpus {
        SkipGramCorpus(sentences: lines.map { tokenizer.tokens($0) }, minimumCount: minimumCount)
    }

    /// A market per corpus key from the first category of each item (the
    /// genre, for MovieLens); items without one share market 0.
    public static func markets(for corpus: SkipGramCorpus, categories: [String: [String]]) -> [Int32] {
        var ids: [String: Int32] = ["": 0]
        return corpus.keys.map { key in
            let market = categories[key]?.first ?? ""
            if let id = ids[market] { return id }
            ids[market] = Int32(ids.count)
            return Int32(ids.count - 1)
        }
    }
}

/// Random walks over the item transition graph (DeepWalk; node2vec when
/// p or q differ from 1), as sentences for the skip-gram trainer.
public struct RandomWalks: Sendable {
    /// Walks started from every node that has out-edges.
    public var walksPerNode: Int
    /// Nodes per walk, the start included.
    public var walkLength: Int
    /// node2vec return parameter: weight 1/p to step back to the previous node.
    public var p: Double
    /// node2vec in-out parameter: weight 1/q to move away from the previous node.
    public var q: Double
    /// The seed.
    public var seed: UInt64

    /// Walks with these settings (DeepWalk when `p` and `q` are 1).
    public init(walksPerNode: Int = 10, walkLength: Int = 20, p: Double = 1, q: Double = 1, seed: UInt64 = 1) {
        self.walksPerNode = walksPerNode
        self.walkLength = walkLength
        self.p = p
        self.q = q
        self.seed = seed
    }

    /// The walks, as node ids. First-order steps use per-node alias tables
    /// over the edge weights; second-order (p, q ≠ 1) steps weigh the
    /// current node's edges by where they lead relative to the previous node.
    public func walks(on graph: TransitionGraph) -> [[Int32]] {
        var rng = SeededGenerator(seed: seed)
        let tables: [AliasTable?] = (0..<graph.nodeCount).map { node in
            let edges = graph.offsets[node]..<graph.offsets[node + 1]
            return edges.isEmpty ? nil : AliasTable(weights: edges.map { Double(graph.weights[$0]) })
        }
        let secondOrder = p != 1 || q != 1
        var result: [[Int32]] = []
        for _ in 0..<walksPerNode {
            for start in 0..<graph.nodeCount where tables[start] != nil {
                var walk: [Int32] = [Int32(start)]
                while walk.count < walkLength {
                    let current = Int(walk[walk.count - 1])
                    guard let table = tables[current] else { break }
                    let base = graph.offsets[current]
                    if secondOrder, walk.count >= 2 {
                        walk.append(biasedStep(graph, from: current, previous: Int(walk[walk.count - 2]), rng: &rng))
                    } else {
                        walk.append(graph.targets[base + Int(table.sample(&rng))])
                    }
                }
                result.append(walk)
            }
        }
        return result
    }

    private func biasedStep(_ graph: TransitionGraph, from current: Int, previous: Int, rng: inout SeededGenerator) -> Int32 {
        let edges = graph.offsets[current]..<graph.offsets[current + 1]
        let previousTargets = graph.targets[graph.offsets[previous]..<graph.offsets[previous + 1]]
        var weights: [Double] = []
        for e in edges {
            let next = graph.targets[e]
            let w = Double(graph.weights[e])
            if Int(next) == previous { weights.append(w / p) }
            else if previousTargets.contains(next) { weights.append(w) }
            else { weights.append(w / q) }
        }
        var draw = rng.nextUnitDouble() * weights.reduce(0, +)
        for (k, w) in weights.enumerated() {
            draw -= w
            if draw < 0 { return graph.targets[edges.lowerBound + k] }
        }
        return graph.targets[edges.upperBound - 1]
    }
}
