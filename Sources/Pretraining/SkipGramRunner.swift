import Archive
import Datasets
import Evaluation

/// What a skip-gram run produced and measured.
public struct SkipGramRunResult {
    /// The trained input and output matrices (and the settings that made them).
    public var trainer: SkipGramTrainer
    /// The input vectors keyed by the corpus's keys.
    public var embeddings: KeyedEmbeddings
    /// What was measured: for item corpora, HR@10 / NDCG@10 / MRR of the W2
    /// protocol on the test and validation targets and genre agreement; for
    /// text, the word and vocabulary counts.
    public var metrics: [String: JSONValue]
    /// The corpus trained on.
    public var corpus: SkipGramCorpus
    /// The archive's method name and the settings beyond skip-gram's own.
    public var method: String, extraHyperparameters: [String: JSONValue] = [:]

    /// The archive of this run: vectors, context, vocabulary with counts, every setting and the metrics.
    public func archive(data: ArchiveManifest.DataProvenance) -> ArchiveContents {
        EmbeddingArchiveBuilder.skipGram(trainer, corpus: corpus, method: method, extraHyperparameters: extraHyperparameters,
                                         data: data, metrics: .object(metrics))
    }
}

/// Trains skip-gram on a corpus and measures it: the path `pretrain
/// item2vec`, `sessions`, `walks` and `word2vec` all take.
public enum SkipGramRunner {
    /// Builds `sentences` from the leave-last-out training part of `data`,
    /// trains, and evaluates (see `runItems(_:config:…)`). `note` hears what
    /// was built before training starts.
    public static func runItems(_ data: Interactions, sentences: ItemSentences, config: SkipGramConfig,
                                categories: [String: [String]]? = nil, note: ((String) -> Void)? = nil,
                                progress: ((EpochReport) -> Void)? = nil) throws -> SkipGramRunResult {
        let split = try LeaveLastOutSplit(checking: data)
        let (corpus, markets, built) = try sentences.corpus(split, items: data.itemVocabulary, minimumCount: config.minimumCount,
                                                            categories: categories)
        note?("\(sentences.method): \(built); \(corpus.sentenceCount) sentences, \(corpus.tokenCount) tokens, \(corpus.keys.count) items, dim \(config.dimension), \(config.threads) thread(s), seed \(config.seed)")
        var result = try runItems(corpus, config: config, markets: markets, split: split, items: data.itemVocabulary,
                                  categories: categories, progress: progress)
        result.method = sentences.method
        result.extraHyperparameters = sentences.hyperparameters
        return result
    }

    /// Trains on item sentences and evaluates with BENCHMARKS.md's W2
    /// protocol on `split` (the last training item's 10 nearest neighbours),
    /// plus genre agreement when `categories` are given.
    public static func runItems(_ corpus: SkipGramCorpus, config: SkipGramConfig, markets: [Int32]? = nil, split: LeaveLastOutSplit,
                                items: Vocabulary, categories: [String: [String]]? = nil,
                                progress: ((EpochReport) -> Void)? = nil) throws -> SkipGramRunResult {
        let trainer = SkipGramTrainer(config: config, counts: corpus.counts, markets: markets)
        trainer.train(corpus) { progress?($0) }
        let embeddings = try KeyedEmbeddings(keys: corpus.keys, vectors: trainer.input)
        let test = NearestNeighbourEvaluation.evaluate(embeddings, split: split, items: items, target: .test)
        let validation = NearestNeighbourEvaluation.evaluate(embeddings, split: split, items: items, target: .validation)
        var metrics: [String: JSONValue] = [
            "test_hr@10": .number(test.hitRate), "test_ndcg@10": .number(test.ndcg), "test_mrr": .number(test.mrr),
            "validation_hr@10": .number(validation.hitRate), "validation_ndcg@10": .number(validation.ndcg),
            "evaluation": "last training item's 10 nearest neighbours by cosine, full ranking, training items excluded",
        ]
        metrics.merge(CategoryAgreement.metrics(embeddings, categories: categories)) { $1 }
        return SkipGramRunResult(trainer: trainer, embeddings: embeddings, metrics: metrics, corpus: corpus, method: "item2vec")
    }

    /// Trains word vectors on text.
    public static func runText(_ corpus: SkipGramCorpus, config: SkipGramConfig,
                               progress: ((EpochReport) -> Void)? = nil) throws -> SkipGramRunResult {
        let trainer = SkipGramTrainer(config: config, counts: corpus.counts)
        trainer.train(corpus) { progress?($0) }
        return SkipGramRunResult(trainer: trainer, embeddings: try KeyedEmbeddings(keys: corpus.keys, vectors: trainer.input),
                                 metrics: ["words": .number(Double(corpus.tokenCount)), "vocabulary": .number(Double(corpus.keys.count))],
                                 corpus: corpus, method: "word2vec")
    }
}
