import Archive
import Datasets

/// How item skip-gram turns the leave-last-out training part into sentences:
/// the one place `pretrain item2vec`, `sessions` and `walks` (and users' own
/// code) build their corpora.
public enum ItemSentences: Sendable {
    /// Each user's whole training sequence (item2vec, W2).
    case userSequences
    /// Sessions cut at gaps longer than `gap` seconds (Airbnb): a session's
    /// last item rated at least `conversionRating` is its conversion, kept as
    /// global context (nil: none); `marketByGenre` adds same-genre negatives.
    case sessions(gap: Double, conversionRating: Float?, marketByGenre: Bool)
    /// Random walks over the item transition graph (DeepWalk; node2vec with p, q).
    case walks(RandomWalks)

    /// The archive's method name.
    public var method: String {
        switch self {
        case .userSequences: return "item2vec"
        case .sessions: return "sessions"
        case .walks: return "walks"
        }
    }

    /// The settings beyond skip-gram's own, as archive hyperparameters.
    public var hyperparameters: [String: JSONValue] {
        switch self {
        case .userSequences: return [:]
        case let .sessions(gap, conversion, byGenre):
            return ["session_gap_seconds": .number(gap), "conversion_min_rating": conversion.map { .number(Double($0)) } ?? .null,
                    "market": byGenre ? "genre" : "none"]
        case let .walks(w):
            return ["walks_per_node": .number(Double(w.walksPerNode)), "walk_length": .number(Double(w.walkLength)), "p": .number(w.p), "q": .number(w.q)]
        }
    }

    /// The corpus over `split`'s training part, the market of each corpus
    /// key when asked for, and a line describing what was built.
    public func corpus(_ split: LeaveLastOutSplit, items: Vocabulary, minimumCount: Int,
                       categories: [String: [String]]?) throws -> (corpus: SkipGramCorpus, markets: [Int32]?, note: String) {
        switch self {
        case .userSequences:
            return (Corpora.userSequences(split, items: items, minimumCount: minimumCount), nil, "\(split.train.count) user sequences")
        case let .sessions(gap, conversion, byGenre):
            let sessions = SequenceBuilder.sessions(split, maximumGap: gap, conversionMinimumRating: conversion)
            let corpus = Corpora.sessions(sessions, items: items, minimumCount: minimumCount)
            var markets: [Int32]?
            if byGenre {
                guard let categories else { throw DatasetError.invalidRequest("market by genre needs an item file with genres") }
                markets = Corpora.markets(for: corpus, categories: categories)
            }
            let converted = corpus.globalContext?.filter { $0 >= 0 }.count ?? 0
            return (corpus, markets, "\(sessions.count) sessions (gap \(Int(gap)) s), \(converted) with a conversion, market: \(byGenre ? "genre" : "none")")
        case let .walks(walker):
            let graph = TransitionGraph(sequences: split.train, nodeCount: items.count)
            let walks = walker.walks(on: graph)
            let corpus = SkipGramCorpus(sentences: walks.map { $0.map { items.key(at: $0) } }, minimumCount: minimumCount)
            return (corpus, nil, "graph: \(graph.nodeCount) nodes, \(graph.edgeCount) edges; \(walks.count) walks of up to \(walker.walkLength)")
        }
    }
}
