import Archive
import Layers
import Autograd
import Foundation

/// Saves and loads a trained classifier in the `.warm` format: its config,
/// its vocabulary and every named parameter.
public enum ClassifierArchive {
    /// Writes `model` with its `keys` (the embedding rows) to `path`.
    public static func save(_ model: Classifier, keys: [String], reserved: [Int: ArchiveVocabulary.Role], metrics: JSONValue?,
                            seed: UInt64, data: ArchiveManifest.DataProvenance?, toolVersion: String, to path: String) throws {
        let config = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(model.config))
        let tensors = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter.value) })
        let manifest = ArchiveManifest(kind: "model", method: "classifier", hyperparameters: ["head": .string(model.config.head.rawValue)],
                                       seed: seed, threads: 1, data: data, toolVersion: toolVersion)
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: keys, reserved: reserved),
                                              tensors: tensors, config: config, metrics: metrics), to: path)
    }

    /// Reads a classifier archive: the model with its weights, and the
    /// vocabulary. Refuses archives of another kind or with missing tensors.
    public static func load(path: String) throws -> (Classifier, ArchiveVocabulary) {
        let contents = try WarmArchive.read(path: path)
        guard contents.manifest.kind == "model", contents.manifest.method == "classifier",
              let configJSON = contents.config, let vocabulary = contents.vocabulary else {
            throw ArchiveError(path: path, "not a classifier archive (kind \(contents.manifest.kind), method \(contents.manifest.method))")
        }
        let config = try JSONDecoder().decode(ClassifierConfig.self, from: JSONEncoder().encode(configJSON))
        var rng = SeededGenerator(seed: 0)
        let embedding = Embedding(pretrained: Tensor(zeros: [vocabulary.count, config.dimension]))
        let model = Classifier(config: config, embedding: embedding, rng: &rng)
        for (name, parameter) in model.namedParameters() {
            guard let tensor = contents.tensors[name] else { throw ArchiveError(path: path, entry: name + ".npy", "missing weight") }
            guard tensor.shape == parameter.value.shape else {
                throw ArchiveError(path: path, entry: name + ".npy", "shape \(tensor.shape), the model needs \(parameter.value.shape)")
            }
            parameter.value = tensor
        }
        return (model, vocabulary)
    }
}
