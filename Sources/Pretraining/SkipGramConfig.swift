import Archive

/// Every setting of skip-gram with negative sampling, with word2vec's and
/// gensim's defaults.
public struct SkipGramConfig: Codable, Sendable, Equatable {
    /// Vector width.
    public var dimension = 100
    /// Largest distance between a centre and a context position.
    public var window = 5
    /// Shrink the window at random per position, as word2vec and gensim do.
    public var shrinkWindow = true
    /// Negative samples per positive pair.
    public var negatives = 5
    /// Exponent of the unigram noise distribution.
    public var noiseExponent = 0.75
    /// Subsampling threshold (word2vec's `sample`); 0 turns it off.
    public var subsample = 1e-3
    /// Keys seen fewer times are dropped.
    public var minimumCount = 5
    /// Learning rate at the start, falling linearly to `endLearningRate`.
    public var startLearningRate: Float = 0.025
    /// Learning rate at the end.
    public var endLearningRate: Float = 0.0001
    /// Passes over the corpus.
    public var epochs = 5
    /// Worker threads (lock-free updates, as word2vec); 1 is exactly repeatable.
    public var threads = 1
    /// The seed of every random choice.
    public var seed: UInt64 = 1

    /// Defaults.
    public init() {}

    /// BENCHMARKS.md W2: item2vec over user sequences.
    public static var w2: SkipGramConfig {
        var c = SkipGramConfig()
        c.dimension = 64; c.window = 5; c.negatives = 5; c.subsample = 0; c.minimumCount = 1
        c.epochs = 20; c.threads = 2
        return c
    }

    /// BENCHMARKS.md W3: word2vec on the KJV text.
    public static var w3: SkipGramConfig {
        var c = SkipGramConfig()
        c.dimension = 100; c.window = 5; c.negatives = 5; c.subsample = 1e-3; c.minimumCount = 5
        c.epochs = 5; c.threads = 2
        return c
    }

    /// A note when `tokens` is a small corpus for these settings: under a
    /// million tokens, word2vec's 5 passes leave vectors close to their
    /// random start; it suggests enough epochs to see about 5 million
    /// tokens in all (at most 50). Nil when the corpus is large enough or
    /// the epochs already reach that.
    public func smallCorpusNote(tokens: Int) -> String? {
        guard tokens > 0, tokens < 1_000_000, tokens * epochs < 5_000_000 else { return nil }
        let suggested = min(50, (5_000_000 + tokens - 1) / tokens)
        guard suggested > epochs else { return nil }
        return "note: \(tokens) tokens is a small corpus: \(epochs) epoch(s) leave the vectors under-trained; about \(suggested) (--epochs \(suggested)) see 5 million tokens in all"
    }

    /// The settings as archive hyperparameters.
    public var hyperparameters: [String: JSONValue] {
        ["dimension": .number(Double(dimension)), "window": .number(Double(window)), "shrink_window": .bool(shrinkWindow),
         "negatives": .number(Double(negatives)), "noise_exponent": .number(noiseExponent), "subsample": .number(subsample),
         "min_count": .number(Double(minimumCount)), "start_learning_rate": .number(Double(startLearningRate)),
         "end_learning_rate": .number(Double(endLearningRate)), "epochs": .number(Double(epochs)), "threads": .number(Double(threads))]
    }
}
