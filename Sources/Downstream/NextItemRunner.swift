import Archive
import Autograd
import Datasets
import Dispatch
import Evaluation
import Layers
import Optimizers

/// Settings of one next-item run: the model, its start and its training.
public struct NextItemRunConfig: Sendable, Codable, Equatable {
    /// GRU (W5) or SASRec (W6).
    public var encoder: SequenceEncoderKind = .gru
    /// Embedding and hidden width when no archive gives one (an archive's width wins).
    public var dimension = 64
    /// Longest history the encoder reads.
    public var maxLength = 50
    /// Dropout; nil: `recommendedDropout`.
    public var dropout: Float?
    /// Output scores from the input item table (tied) or a separate one.
    public var tied = true
    /// A learned per-item score bias.
    public var outputBias = false
    /// How the item table starts.
    public var start: StartMode = .random
    /// What items the archive lacks start as.
    public var missing: MissingKeyPolicy = .random
    /// How pretrained rows are scaled first: `auto` by default. For the GRU
    /// that is as stored (best on validation in the next-item grid for
    /// item2vec and MF rows: `unit` and `init` fell behind) unless the rows
    /// are under half the random start's spread, then `init` (ALS factors:
    /// validation NDCG@10 0.056 against 0.033 as stored). For SASRec it is
    /// `unit` (`itemTableRescale`; README, "Defaults across catalogues").
    public var rescale: RescalePolicy = .auto
    /// Repeat-aware scoring (`RepeatHead`): for logs where people re-consume
    /// items (use with `training.keepSeen`); nil or false: off.
    public var repeatAware: Bool?
    /// Seed of the initialisation (and, through `training.seed`, of the batch order).
    public var seed: UInt64 = 0
    /// Training settings.
    public var training = NextItemTrainingConfig()

    /// Defaults: BENCHMARKS.md W5 with the validation-chosen random windows.
    public init() {}

    /// The start to use with an archive when none is asked for: fine-tuned,
    /// best on validation in the next-item reuse grid (item2vec and MF
    /// archives; gradual unfreezing was behind; README, "Warm start").
    public static let recommendedStart = StartMode.finetuned

    /// The rescale policy the item table gets: `rescale`, with `auto` read as
    /// `unit` for SASRec (every row of length 1: item2vec rows as stored,
    /// long for popular items and short for rare ones, left it behind a
    /// random start on a 16,706-item W7 log; unit rows were ahead of both on
    /// all three catalogues) and left to the spread rule for the GRU.
    public var itemTableRescale: RescalePolicy { rescale == .auto && encoder == .sasrec ? .unit : rescale }

    /// Adam's learning rate for a run that names none: 0.003, except 0.001
    /// for a GRU started from an archive. Chosen on best validation NDCG@10
    /// (README, "Defaults across catalogues"): on ml-100k and W7 logs of
    /// 9,340 and 16,706 items, in two seeds, 0.003 was ahead of 0.001 for
    /// every random start and at least level for SASRec from item2vec, while
    /// the item2vec-started GRU washed out its pretrained rows or overfitted
    /// early at the faster rate.
    public static func recommendedLearningRate(encoder: SequenceEncoderKind, start: StartMode) -> Float {
        encoder == .gru && start != .random ? 0.001 : 0.003
    }

    /// Dropout for a run that names none: 0.2 for both encoders (SASRec's
    /// as in W6; for the GRU chosen on best validation NDCG@10 over ml-100k
    /// and the two W7 logs, from random and item2vec starts: README,
    /// "Defaults across catalogues"). W5 as written keeps the GRU at 0.
    public static let recommendedDropout: Float = 0.2

    /// The dropout the model trains with: `dropout`, or the recommended one.
    public var modelDropout: Float { dropout ?? Self.recommendedDropout }

    /// The learning rate the run trains with: `training.learningRate`, or the recommended one.
    public var learningRate: Float { training.learningRate ?? Self.recommendedLearningRate(encoder: encoder, start: start) }

    /// The W5 (GRU, 100 epochs) or W6 (SASRec, 200 epochs, patience 3) setting as written (last windows, evaluated every 10 epochs, the best evaluation kept).
    public static func asWritten(_ encoder: SequenceEncoderKind) -> NextItemRunConfig {
        var c = NextItemRunConfig()
        c.encoder = encoder
        c.training.epochs = encoder == .gru ? 100 : 200
        c.training.evaluateEvery = 10
        c.training.windows = .last
        c.training.selection = .best
        c.training.learningRate = 0.001
        c.dropout = encoder == .gru ? 0 : 0.2
        if encoder == .sasrec { c.training.patience = 3 }
        return c
    }
}

/// Everything one next-item run measured.
public struct NextItemRunResult {
    /// The trained model (the weights `training.selection` keeps).
    public var model: NextItemModel
    /// How the warm start went.
    public var warmStart: WarmStartReport
    /// Per-epoch training figures.
    public var epochs: [NextItemEpoch]
    /// Test HR@10, NDCG@10 and MRR over the full catalogue.
    public var test: RankingReport
    /// Share of the catalogue among the test top-10 lists.
    public var coverage: Double
    /// Wall-clock seconds of training with its validation evaluations (the test evaluation excluded).
    public var seconds: Double

    /// Positions per second over the whole training time.
    public var positionsPerSecond: Double { Statistics.overallRate(epochs.map { ($0.positionsPerSecond, $0.seconds ?? 0) }) }
}

/// Trains and evaluates a next-item model: the one path that `nextitem
/// train`, the reuse grid and the W5/W6 benchmarks all take, so their
/// figures are figures of the same model.
public enum NextItemRunner {
    /// The model `config` describes over `data`, its item table started from
    /// `archive` as `config.start` says (the archive's width wins).
    public static func model(for data: NextItemData, archive: KeyedEmbeddings?,
                             config: NextItemRunConfig) throws -> (NextItemModel, WarmStartReport) {
        var rng = SeededGenerator(seed: config.seed)
        let dimension = archive?.dimension ?? config.dimension
        let (items, report) = try WarmStart.embedding(keys: data.keys, paddingRow: 0, archive: config.start == .random ? nil : archive,
                                                      dimension: dimension, mode: config.start, missing: config.missing,
                                                      rescale: config.itemTableRescale, rng: &rng)
        var modelConfig = NextItemConfig(encoder: config.encoder, rows: data.rows, dimension: dimension, maxLength: config.maxLength)
        modelConfig.tied = config.tied
        modelConfig.outputBias = config.outputBias
        if config.repeatAware == true {
            guard config.training.loss == .fullSoftmax else {
                throw AutogradError(op: "NextItemRunner", "the repeat-aware head trains with the full softmax; it cannot take the \(config.training.loss.name) loss")
            }
            modelConfig.repeatAware = true
        }
        let dropout = config.modelDropout
        guard dropout >= 0, dropout < 1 else { throw AutogradError(op: "NextItemRunner", "dropout must be in [0, 1), got \(dropout)") }
        modelConfig.dropout = dropout
        let net = NextItemModel(config: modelConfig, items: items, rng: &rng)
        net.repeatHead?.startGate(atShare: data.repeatShare)
        return (net, report)
    }

    /// Trains `model` (from `model(for:archive:config:)`, or a resumed
    /// snapshot's) on `data`'s training users (`trainOn` restricts them,
    /// for label-share experiments) and evaluates it on every user's test
    /// target. The callbacks and `profile` are `NextItemTrainer.train`'s.
    public static func run(_ model: NextItemModel, warmStart: WarmStartReport, data: NextItemData, config: NextItemRunConfig,
                           trainOn training: NextItemData? = nil, resume: NextItemTrainingState? = nil, profile: OpProfile? = nil,
                           progress: ((NextItemEpoch) -> Void)? = nil,
                           checkpoint: ((NextItemModel, NextItemEpoch) throws -> Void)? = nil,
                           snapshot: ((NextItemTrainingState) throws -> Void)? = nil) throws -> NextItemRunResult {
        var settings = config.training
        settings.seed = config.seed
        settings.learningRate = config.learningRate
        if config.start == .gradual { settings.frozenEpochs = settings.epochs / 2 }  // frozen for the first half
        let start = DispatchTime.now().uptimeNanoseconds
        let epochs = try NextItemTrainer.train(model, data: training ?? data, config: settings, resume: resume, profile: profile, progress: progress,
                                               checkpoint: checkpoint, snapshot: snapshot)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (test, coverage) = NextItemTrainer.evaluate(model, data: data, target: .test, keepSeen: settings.keepSeen)
        return NextItemRunResult(model: model, warmStart: warmStart, epochs: epochs, test: test, coverage: coverage, seconds: seconds)
    }

    /// The figures `nextitem train` reports and archives for `result`: test
    /// HR@10 / NDCG@10 / MRR and coverage beside the popularity baseline (and
    /// the repeat baseline when seen items stay candidates), the training run,
    /// and, for a warm start, the archive's own nearest-neighbour HR@10.
    public static func summary(_ result: NextItemRunResult, data: NextItemData, config: NextItemRunConfig,
                               archive: KeyedEmbeddings?, items: Vocabulary) -> [String: JSONValue] {
        let keepSeen = config.training.keepSeen
        let popularity = NextItemBaselines.popularity(data.split, keepSeen: keepSeen)
        var metrics: [String: JSONValue] = [
            "test_hr@10": .number(result.test.hitRate), "test_ndcg@10": .number(result.test.ndcg), "test_mrr": .number(result.test.mrr),
            "coverage@10": .number(result.coverage), "popularity_hr@10": .number(popularity.hitRate),
            "popularity_ndcg@10": .number(popularity.ndcg), "epochs_run": .number(Double(result.epochs.count)),
            "best_validation_ndcg@10": .number(result.epochs.compactMap(\.validationNDCG).max() ?? 0),
            "positions_per_second": .number(result.positionsPerSecond),
            "warm_start_coverage": .number(result.warmStart.coverage), "start": .string(config.start.rawValue),
            "model": .string(config.encoder.rawValue), "windows": .string(config.training.windows.rawValue),
            "loss": .string(config.training.loss.name),
            "selection": .string((config.training.selection ?? NextItemTrainingConfig.defaultSelection).rawValue),
            "learning_rate": .number(Double(config.learningRate)), "dropout": .number(Double(config.modelDropout)),
            "validation_curve": .array(result.epochs.compactMap { e in
                e.validationNDCG.map { .array(([Double(e.epoch), $0] + (e.validationNDCGHalves ?? [])).map(JSONValue.number)) }
            }),
        ]
        if keepSeen { metrics["repeat_most_frequent_hr@10"] = .number(NextItemBaselines.mostFrequentRepeat(data.split).hitRate) }
        if let archive {
            metrics["archive_nearest_neighbour_hr@10"] = .number(NearestNeighbourEvaluation.evaluate(archive, split: data.split, items: items).hitRate)
        }
        return metrics
    }

    /// Builds the model and runs it: `model(for:archive:config:)` then `run`.
    public static func run(_ data: NextItemData, archive: KeyedEmbeddings?, config: NextItemRunConfig,
                           trainOn training: NextItemData? = nil, profile: OpProfile? = nil) throws -> NextItemRunResult {
        let (model, report) = try model(for: data, archive: archive, config: config)
        return try run(model, warmStart: report, data: data, config: config, trainOn: training, profile: profile)
    }
}
