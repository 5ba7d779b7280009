import Archive
import Autograd
import Layers

/// Saves and loads next-item models (`ModelArchive` with method "nextitem").
public enum NextItemArchive {
    /// Writes `model` with its item keys (row 0: padding).
    public static func save(_ model: NextItemModel, keys: [String], metrics: JSONValue?, seed: UInt64,
                            data: ArchiveManifest.DataProvenance?, toolVersion: String, to path: String) throws {
        try ModelArchive.save(model, config: model.config, method: "nextitem", keys: keys, reserved: [0: .padding], metrics: metrics,
                              seed: seed, data: data, toolVersion: toolVersion, to: path)
    }

    /// Reads a next-item model and its item keys.
    public static func load(path: String) throws -> (NextItemModel, ArchiveVocabulary) {
        let (config, vocabulary, contents) = try ModelArchive.load(path: path, method: "nextitem", as: NextItemConfig.self)
        var rng = SeededGenerator(seed: 0)
        let items = Embedding(pretrained: Tensor(zeros: [config.rows, config.dimension]), paddingIndex: 0)
        let model = NextItemModel(config: config, items: items, rng: &rng)
        try ModelArchive.assign(contents, to: model, path: path)
        return (model, vocabulary)
    }
}
