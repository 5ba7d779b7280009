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
}

/// Trains skip-gram on a corpus and measures it: the path `pretrain
/// item2vec`, `sessions`, `walks` and `word2vec` all take.
public enum SkipGramRunner {
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
        if let categories {
            let agreement = CategoryAgreement.measure(embeddings, categories: categories)
            metrics["genre_agreement@10"] = .number(agreement.neighbours)
            metrics["genre_agreement@10_chance"] = .number(agreement.chance)
        }
        return SkipGramRunResult(trainer: trainer, embeddings: embeddings, metrics: metrics)
    }

    /// Trains word vectors on text.
    public static func runText(_ corpus: SkipGramCorpus, config: SkipGramConfig,
                               progress: ((EpochReport) -> Void)? = nil) throws -> SkipGramRunResult {
        let trainer = SkipGramTrainer(config: config, counts: corpus.counts)
        trainer.train(corpus) { progress?($0) }
        return SkipGramRunResult(trainer: trainer, embeddings: try KeyedEmbeddings(keys: corpus.keys, vectors: trainer.input),
                                 metrics: ["words": .number(Double(corpus.tokenCount)), "vocabulary": .number(Double(corpus.keys.count))])
    }
}
