import Archive
import Autograd
import Layers

/// Saves and loads a trained classifier (`ModelArchive` with method "classifier").
public enum ClassifierArchive {
    /// Writes `model` with its `keys` (the embedding rows) to `path`.
    /// `settings` (the run's configuration) become the manifest's hyperparameters.
    public static func save(_ model: Classifier, keys: [String], reserved: [Int: ArchiveVocabulary.Role], metrics: JSONValue?,
                            seed: UInt64, data: ArchiveManifest.DataProvenance?, settings: ClassificationRunConfig? = nil,
                            toolVersion: String = WarmstartVersion.string, to path: String) throws {
        try ModelArchive.save(model, config: model.config, method: "classifier", keys: keys, reserved: reserved, metrics: metrics,
                              seed: seed, data: data, settings: settings, toolVersion: toolVersion, to: path)
    }

    /// Reads a classifier archive: the model with its weights, and the vocabulary.
    public static func load(path: String) throws -> (Classifier, ArchiveVocabulary) {
        let (config, vocabulary, contents) = try ModelArchive.load(path: path, method: "classifier", as: ClassifierConfig.self)
        let widths = [config.dimension] + config.hidden + [max(config.labels.count, 1)]
        try ModelArchive.checkSizes(contents, path: path, table: "embedding.weight", shape: [vocabulary.count, config.dimension],
                                    amounts: zip(widths, widths.dropFirst()).map { ("hidden", [$0, $1]) })
        var rng = SeededGenerator(seed: 0)
        let model = Classifier(config: config, embedding: Embedding(pretrained: Tensor(zeros: [vocabulary.count, config.dimension])), rng: &rng)
        try ModelArchive.assign(contents, to: model, path: path)
        return (model, vocabulary)
    }
}
