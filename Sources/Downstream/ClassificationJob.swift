import Archive
import Autograd
import Datasets

extension ClassificationRunner {
    /// The whole `classify train` job: `fraction` of `task`'s fit labels,
    /// the runner, and the model archive at `modelPath` (with the task's
    /// split and `source` recorded); returns the metrics with the task,
    /// start and share (plus the model's path).
    public static func train(_ task: ClassificationTask, source: String, archive: KeyedEmbeddings?, config: ClassificationRunConfig,
                             fraction: Double = 1, modelPath: String? = nil, note: ((String) -> Void)? = nil,
                             progress: ((ClassifierEpochReport) -> Void)? = nil) throws -> [String: JSONValue] {
        let sampled = task.withLabelFraction(fraction, seed: config.seed)
        if archive != nil, config.start == .random { note?("note: a random start ignores the archive") }
        note?("\(sampled.name): \(sampled.fit.count) training, \(sampled.validation.count) validation, \(sampled.test.count) test examples; \(sampled.keys.count) rows; seed \(config.seed)")
        let result = try run(sampled, archive: config.start == .random ? nil : archive, config: config, progress: progress)
        note?(result.warmStart.summary)
        var metrics = result.metrics
        metrics["task"] = .string(sampled.name); metrics["start"] = .string(config.start.rawValue); metrics["fraction"] = .number(fraction)
        if let modelPath {
            let reserved: [Int: ArchiveVocabulary.Role] = sampled.unknownRow.map { [$0: .unknown] } ?? [:]
            try ClassifierArchive.save(result.model, keys: sampled.keys, reserved: reserved, metrics: .object(metrics), seed: config.seed,
                                       data: .init(name: source, fingerprint: "", split: sampled.split + "; trained on the fit part"),
                                       settings: config, to: modelPath)
            metrics["model"] = .string(modelPath)
        }
        return metrics
    }
}

/// A saved classifier ready to score texts and item bags.
public struct ClassifierPredictor {
    /// The model.
    public let model: Classifier
    /// Its embedding rows' keys.
    public let vocabulary: ArchiveVocabulary
    private let rowOfKey: [String: Int32]

    /// Loads the model archive at `path`.
    public init(path: String) throws {
        (model, vocabulary) = try ClassifierArchive.load(path: path)
        rowOfKey = Dictionary(uniqueKeysWithValues: vocabulary.keys.enumerated().map { ($0.element, Int32($0.offset)) })
    }

    /// The keys of `items` the model does not know.
    public func unknownKeys(_ items: [String]) -> [String] { items.filter { rowOfKey[$0] == nil } }

    /// The text's bag: its tokens (with the model's n-grams), unknown ones as the unknown row.
    public func bag(text: String) -> [Int32] {
        Tokenizer(maximumNGram: model.config.textNGrams ?? 1).tokens(text).map { rowOfKey[$0] ?? Int32(vocabulary.unknownRow ?? 0) }
    }

    /// The items' bag (unknown keys left out).
    public func bag(items: [String]) -> [Int32] { items.compactMap { rowOfKey[$0] } }

    /// For each bag, the probability of each of `model.config.labels` and
    /// the call: for a binary model its positive label (the second) when
    /// that probability reaches the validation-chosen threshold, else the
    /// negative; for a multi-label model the most likely label.
    public func predict(_ bags: [[Int32]]) -> [(call: String, probabilities: [Float])] {
        let p = model.probabilities(Bags(bags))
        let config = model.config
        return bags.indices.map { row in
            if config.head == .binary {
                return (config.labels[p[row, 0] >= config.threshold ? 1 : 0], [1 - p[row, 0], p[row, 0]])
            }
            let probabilities = (0..<p.lastDimension).map { p[row, $0] }
            return (config.labels[probabilities.indices.max { probabilities[$0] < probabilities[$1] }!], probabilities)
        }
    }

    /// One line per text and per item bag (`items`: comma-separated keys): a
    /// binary model's positive probability and call, or the three most
    /// likely labels; and a note naming the item keys it did not know (left
    /// out of the bag). Refuses a call with neither texts nor items.
    public func lines(texts: [String], items: String?) throws -> (lines: [String], notes: [String]) {
        guard !texts.isEmpty || items != nil else { throw DatasetError.invalidRequest("nothing to score: give texts (--text) or item keys (--items)") }
        var bags = texts.map { bag(text: $0) }, shown = texts, unknown: [String] = []
        if let items {
            let keys = items.split(separator: ",").map(String.init)
            unknown = unknownKeys(keys)
            bags.append(bag(items: keys)); shown.append(items)
        }
        let labels = model.config.labels
        let lines = zip(predict(bags), shown).map { prediction, label -> String in
            let p = prediction.probabilities
            if model.config.head == .binary { return String(format: "%.4f  %@  %@", p[1], prediction.call, label) }
            return p.indices.sorted { p[$0] > p[$1] }.prefix(3).map { String(format: "%@ %.3f", labels[$0], p[$0]) }.joined(separator: ", ") + "  " + label
        }
        return (lines, unknown.isEmpty ? [] : [ModelArchive.ignoredKeysNote(unknown)])
    }
}
