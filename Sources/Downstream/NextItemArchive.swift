import Foundation
import Archive
import Autograd
import Layers

/// Saves and loads next-item models (`ModelArchive` with method "nextitem").
public enum NextItemArchive {
    /// Writes `model` with its item keys (row 0: padding) and the run's
    /// `settings` as the manifest's hyperparameters (`settings(path:)` reads them back).
    public static func save(_ model: NextItemModel, keys: [String], metrics: JSONValue?, seed: UInt64,
                            data: ArchiveManifest.DataProvenance?, settings: NextItemRunConfig? = nil,
                            toolVersion: String = WarmstartVersion.string, to path: String) throws {
        try ModelArchive.save(model, config: model.config, method: "nextitem", keys: keys, reserved: [0: .padding], metrics: metrics,
                              seed: seed, data: data, settings: settings, toolVersion: toolVersion, to: path)
    }

    /// The run configuration a model archive records (nil when it has none).
    public static func settings(path: String) throws -> NextItemRunConfig? {
        let hyperparameters = try WarmArchive.readManifest(path: path).hyperparameters
        guard !hyperparameters.isEmpty else { return nil }
        do { return try JSONValue.object(hyperparameters).decoded(as: NextItemRunConfig.self) } catch {
            throw ArchiveError(path: path, entry: "manifest.json", "hyperparameters are not a next-item run configuration: \(error)")
        }
    }

    /// Reads a next-item model and its item keys.
    public static func load(path: String) throws -> (NextItemModel, ArchiveVocabulary) {
        let (config, vocabulary, contents) = try ModelArchive.load(path: path, method: "nextitem", as: NextItemConfig.self)
        try checkSizes(config, contents, path: path)
        var rng = SeededGenerator(seed: 0)
        let items = Embedding(pretrained: Tensor(zeros: [config.rows, config.dimension]), paddingIndex: 0)
        let model = NextItemModel(config: config, items: items, rng: &rng)
        try ModelArchive.assign(contents, to: model, path: path)
        return (model, vocabulary)
    }
}

extension NextItemArchive {
    /// Writes a resumable snapshot: the current weights, the best weights
    /// (`best.NAME`), the optimizer state by parameter name (`optimizer.NAME`) and the counters.
    public static func saveSnapshot(_ model: NextItemModel, state: NextItemTrainingState, keys: [String], seed: UInt64,
                                    toolVersion: String = WarmstartVersion.string, to path: String) throws {
        var tensors = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter.value) })
        let names = model.namedParameters().map(\.name)
        if let best = state.bestWeights { for (n, w) in zip(names, best) { tensors["best." + n] = w } }
        for (n, s) in zip(names, state.optimizerState) where !s.isEmpty { tensors["optimizer." + n] = Tensor(shape: [s.count], scalars: s) }
        let reports = try JSONValue(encoding: state.reports)
        let metrics: JSONValue = ["epoch": .number(Double(state.epoch)), "optimizer_step": .number(Double(state.optimizerStep)),
                                  "best": .number(state.best), "since_best": .number(Double(state.sinceBest)),
                                  "parameters": .number(Double(names.count)), "reports": reports]
        let config = try JSONValue(encoding: model.config)
        let manifest = ArchiveManifest(kind: "model", method: "nextitem-snapshot", seed: seed, threads: MathThreads.blasThreads,
                                       toolVersion: toolVersion)
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: keys, reserved: [0: .padding]),
                                              tensors: tensors, config: config, metrics: metrics), to: path)
    }

    /// Reads a snapshot: the model at its last epoch, its keys, and the state to resume from.
    public static func loadSnapshot(path: String) throws -> (NextItemModel, ArchiveVocabulary, NextItemTrainingState) {
        let (config, vocabulary, contents) = try ModelArchive.load(path: path, method: "nextitem-snapshot", as: NextItemConfig.self)
        try checkSizes(config, contents, path: path)
        var rng = SeededGenerator(seed: 0)
        let model = NextItemModel(config: config, items: Embedding(pretrained: Tensor(zeros: [config.rows, config.dimension]), paddingIndex: 0), rng: &rng)
        try ModelArchive.assign(contents, to: model, path: path)
        guard let m = contents.metrics, let epoch = m["epoch"]?.number, let step = m["optimizer_step"]?.number,
              let best = m["best"]?.number, let since = m["since_best"]?.number, let reportsJSON = m["reports"] else {
            throw ArchiveError(path: path, entry: "metrics.json", "not a complete training snapshot")
        }
        let names = model.namedParameters().map(\.name)
        let bestWeights = names.allSatisfy { contents.tensors["best." + $0] != nil } ? names.map { contents.tensors["best." + $0]! } : nil
        let optimizerState = names.map { contents.tensors["optimizer." + $0]?.scalars ?? [] }
        let reports = try JSONDecoder().decode([NextItemEpoch].self, from: JSONEncoder().encode(reportsJSON))
        return (model, vocabulary, NextItemTrainingState(epoch: Int(epoch), optimizerStep: Int(step), optimizerState: optimizerState,
                                                         best: best, sinceBest: Int(since), bestWeights: bestWeights, reports: reports))
    }
}

extension NextItemArchive {
    /// The configuration's sizes checked against the stored weights before the model is built.
    static func checkSizes(_ config: NextItemConfig, _ contents: ArchiveContents, path: String) throws {
        guard config.heads >= 1, config.maxLength >= 1, config.blocks >= 0 else {
            throw ArchiveError(path: path, entry: "config.json", "heads and maxLength must be at least 1, blocks at least 0")
        }
        try ModelArchive.checkSizes(contents, path: path, table: "items.weight", shape: [config.rows, config.dimension], amounts: [
            ("blocks", [config.blocks, config.dimension, config.dimension]), ("maxLength", [config.maxLength, config.dimension]),
            ("heads", [config.heads, config.dimension]),
        ])
    }
}
