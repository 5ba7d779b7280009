import Archive
import Autograd
import Datasets

/// Packs trained embeddings into archive contents with their provenance.
public enum EmbeddingArchiveBuilder {
    /// A skip-gram run: vectors, context, vocabulary with counts, every setting.
    public static func skipGram(_ trainer: SkipGramTrainer, corpus: SkipGramCorpus, method: String,
                                extraHyperparameters: [String: JSONValue] = [:], data: ArchiveManifest.DataProvenance,
                                metrics: JSONValue? = nil, toolVersion: String = WarmstartVersion.string) -> ArchiveContents {
        var hyper = trainer.config.hyperparameters
        for (k, v) in extraHyperparameters { hyper[k] = v }
        hyper["epochs_trained"] = .number(Double(trainer.epochsDone))
        let manifest = ArchiveManifest(kind: "embeddings", method: method, hyperparameters: hyper, seed: trainer.config.seed,
                                       threads: trainer.config.threads, data: data, toolVersion: toolVersion)
        return ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: corpus.keys, counts: corpus.counts),
                               tensors: ["vectors": trainer.input, "context": trainer.output], metrics: metrics,
                               modelCard: modelCard(method: method, rows: corpus.keys.count, dimension: trainer.config.dimension,
                                                    data: data, hyperparameters: hyper))
    }

    /// A factorization: item vectors as `vectors`, its other tensors (biases,
    /// user vectors) by name, the item vocabulary with counts, every setting.
    public static func factorization(method: String, items: Vocabulary, itemTable: Tensor, otherTensors: [String: Tensor],
                                     hyperparameters: [String: JSONValue], metrics: [String: JSONValue], seed: UInt64,
                                     data: ArchiveManifest.DataProvenance) -> ArchiveContents {
        let manifest = ArchiveManifest(kind: "embeddings", method: method, hyperparameters: hyperparameters, seed: seed, threads: 1, data: data)
        var tensors = otherTensors
        tensors["vectors"] = itemTable
        return ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: items.keys, counts: items.counts), tensors: tensors,
                               metrics: .object(metrics),
                               modelCard: modelCard(method: method, rows: items.count, dimension: itemTable.shape[1], data: data,
                                                    hyperparameters: hyperparameters))
    }

    /// A short Markdown card: what the archive is, how it was made, how to load it.
    public static func modelCard(method: String, rows: Int, dimension: Int, data: ArchiveManifest.DataProvenance,
                                 hyperparameters: [String: JSONValue]) -> String {
        """
        # \(method) embeddings

        \(rows) vectors of dimension \(dimension), trained by Warmstart on \(data.name) (\(data.split)).

        ## Settings

        \(hyperparameters.keys.sorted().map { "- \($0): \(hyperparameters[$0]!)" }.joined(separator: "\n"))

        ## Loading

        - Warmstart: `warmstart similar THIS.warm KEY`, or `--init THIS.warm` on a downstream model.
        - numpy: unpack the tar (`tar --zstd -xf THIS.warm`), then `numpy.load("vectors.npy")`; row i is the key on line i + 2 of `vocab.tsv`.
        """
    }
}
