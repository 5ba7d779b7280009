import Archive
import Autograd
import Dispatch
import Evaluation
import Layers

/// Settings of one classification run.
public struct ClassificationRunConfig: Sendable, Codable, Equatable {
    /// How the embedding table starts.
    public var start: StartMode = .random
    /// What missing keys start as.
    public var missing: MissingKeyPolicy = .random
    /// How pretrained rows are scaled first: each to length 1 by default,
    /// best on validation across the spam and genre grids (with gradual
    /// unfreezing; `init`'s whitening lost the genre signal).
    public var rescale: RescalePolicy = .unit
    /// Learning-rate multiplier of pretrained rows for `finetunedSlow`.
    public var slowScale: Float = 0.1
    /// Embedding width (must equal the archive's).
    public var dimension = 64
    /// Hidden widths of the MLP (W4: [64]; [] is a linear probe).
    public var hidden = [64]
    /// Dropout after hidden activations.
    public var dropout: Float = 0
    /// How a bag's rows combine.
    public var bagMode: Tape.BagMode = .mean
    /// Training settings.
    public var training = ClassifierTrainingConfig()
    /// Seed of the initialisation.
    public var seed: UInt64 = 0

    /// Defaults: BENCHMARKS.md W4.
    public init() {}

    /// The start to use with an archive when none is asked for: gradual
    /// unfreezing, best on validation across the spam and genre reuse grids
    /// (two archives each; README, "Warm start").
    public static let recommendedStart = StartMode.gradual
}

/// Everything one run measured.
public struct ClassificationResult {
    /// The trained model.
    public var model: Classifier
    /// How the warm start went.
    public var warmStart: WarmStartReport
    /// Per-epoch training figures (validation: ROC AUC for binary, mean ROC AUC over labels for multilabel).
    public var epochs: [ClassifierEpochReport]
    /// Test figures of a binary task, at the threshold chosen on validation.
    public var binary: BinaryClassificationReport?
    /// Test figures of a multi-label task.
    public var multiLabel: MultiLabelReport?
    /// Training time in seconds.
    public var seconds: Double

    /// The headline figures as JSON.
    public var metrics: [String: JSONValue] {
        var m: [String: JSONValue] = ["coverage": .number(warmStart.coverage), "train_seconds": .number(seconds),
                                      "examples_per_second": .number(Statistics.overallRate(epochs.map { ($0.examplesPerSecond, $0.seconds) }))]
        if let b = binary {
            m["accuracy"] = .number(b.accuracy); m["precision"] = .number(b.precision); m["recall"] = .number(b.recall)
            m["f1"] = .number(b.f1); m["roc_auc"] = .number(b.rocAUC); m["pr_auc"] = .number(b.prAUC)
            m["threshold"] = .number(Double(b.threshold))
            m["confusion"] = .array(b.confusion.map { .array($0.map { .number(Double($0)) }) })
        }
        if let l = multiLabel {
            m["micro_f1"] = .number(l.microF1); m["mean_roc_auc"] = .number(l.meanRocAUC); m["exact_match"] = .number(l.exactMatch)
        }
        return m
    }
}

/// Runs a classification task end to end: warm start, training, threshold
/// choice on validation, test figures.
public enum ClassificationRunner {
    /// Trains on `task.fit` and evaluates on `task.test`.
    public static func run(_ task: ClassificationTask, archive: KeyedEmbeddings?, config: ClassificationRunConfig,
                           progress: ((ClassifierEpochReport) -> Void)? = nil) throws -> ClassificationResult {
        var rng = SeededGenerator(seed: config.seed)
        let (embedding, report) = try WarmStart.embedding(keys: task.keys, paddingRow: nil, unknownRow: task.unknownRow, archive: archive, dimension: config.dimension,
                                                          mode: config.start, missing: config.missing, rescale: config.rescale,
                                                          slowScale: config.slowScale, rng: &rng)
        var classifierConfig = ClassifierConfig(head: task.head, labels: task.labels, dimension: config.dimension, hidden: config.hidden,
                                                dropout: config.dropout, bagMode: config.bagMode, textNGrams: task.textNGrams)
        let model = Classifier(config: classifierConfig, embedding: embedding, rng: &rng)
        let start = DispatchTime.now().uptimeNanoseconds
        var training = config.training
        if config.start == .gradual {  // frozen for the first half of the step budget
            let perEpoch = max(1, (task.fit.count + training.batchSize - 1) / training.batchSize)
            training.frozenSteps = max(1, training.epochBudget(examples: task.fit.count) * perEpoch / 2)
        }
        let epochs = try ClassifierTrainer.train(model, examples: task.fit, config: training,
                                                 validate: { validationFigure($0, task) }, progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var result = ClassificationResult(model: model, warmStart: report, epochs: epochs, binary: nil, multiLabel: nil, seconds: seconds)
        switch task.head {
        case .binary:
            let validation = scores(model, task.validation)
            let threshold = BinaryClassificationReport.bestThreshold(scores: validation.map { $0[0] },
                                                                     labels: task.validation.targets.map { $0[0] == 1 })
            classifierConfig.threshold = threshold
            let test = scores(model, task.test)
            result.binary = BinaryClassificationReport(scores: test.map { $0[0] }, labels: task.test.targets.map { $0[0] == 1 }, threshold: threshold)
        case .multilabel:
            result.multiLabel = MultiLabelReport(scores: scores(model, task.test), labels: task.test.targets.map { $0.map { $0 == 1 } })
        }
        model.config = classifierConfig
        return result
    }

    /// Probabilities per example.
    public static func scores(_ model: Classifier, _ examples: ClassificationExamples) -> [[Float]] {
        let p = model.probabilities(examples.flatBags())
        let width = p.lastDimension
        return (0..<examples.count).map { r in (0..<width).map { p[r, $0] } }
    }

    static func validationFigure(_ model: Classifier, _ task: ClassificationTask) -> Double {
        let s = scores(model, task.validation)
        switch task.head {
        case .binary: return BinaryClassificationReport.rocAUC(scores: s.map { $0[0] }, labels: task.validation.targets.map { $0[0] == 1 })
        case .multilabel: return MultiLabelReport(scores: s, labels: task.validation.targets.map { $0.map { $0 == 1 } }).meanRocAUC
        }
    }
}
