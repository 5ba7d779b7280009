import Datasets

/// Sentences of ids over a vocabulary, stored flat: what skip-gram trains on.
public struct SkipGramCorpus: Sendable {
    /// Row keys (words or item ids) by id.
    public var keys: [String]
    /// How often each id occurs in the corpus.
    public var counts: [Int]
    /// All sentences back to back.
    public var tokens: [Int32]
    /// Sentence `s` is `tokens[offsets[s]..<offsets[s+1]]`.
    public var offsets: [Int]
    /// Global-context ("conversion") id per sentence, or -1 (Airbnb sessions).
    public var globalContext: [Int32]?

    /// Number of sentences.
    public var sentenceCount: Int { offsets.count - 1 }

    /// Sentences of string keys; keys seen fewer than `minimumCount` times
    /// are dropped, and ids are ordered by count (descending) as word2vec does.
    public init(sentences: [[String]], minimumCount: Int) {
        var vocabulary = Vocabulary()
        for s in sentences { for w in s { vocabulary.add(w) } }
        let pruned = vocabulary.pruned(minimumCount: minimumCount)
        keys = pruned.keys
        counts = pruned.counts
        tokens = []
        offsets = [0]
        for s in sentences {
            for w in s { if let id = pruned.index(of: w) { tokens.append(id) } }
            offsets.append(tokens.count)
        }
    }

    /// Sentences already in ids over `keys` (every key kept; counts are
    /// recomputed from the sentences).
    public init(idSentences: [[Int32]], keys: [String], globalContext: [Int32]? = nil) {
        self.keys = keys
        counts = [Int](repeating: 0, count: keys.count)
        tokens = []
        offsets = [0]
        for s in idSentences {
            for id in s { counts[Int(id)] += 1 }
            tokens.append(contentsOf: s)
            offsets.append(tokens.count)
        }
        self.globalContext = globalContext
    }

    /// Total tokens.
    public var tokenCount: Int { tokens.count }
}
