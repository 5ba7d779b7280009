import Archive
import Autograd

/// Packs trained embeddings into archive contents with their provenance.
public enum EmbeddingArchiveBuilder {
    /// A skip-gram run: vectors, context, vocabulary with counts, every setting.
    public static func skipGram(_ trainer: SkipGramTrainer, corpus: SkipGramCorpus, method: String,
                                extraHyperparameters: [String: JSONValue] = [:], data: ArchiveManifest.DataProvenance,
                                metrics: JSONValue? = nil, toolVersion: String) -> ArchiveContents {
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
