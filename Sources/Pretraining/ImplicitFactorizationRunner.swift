import Archive
import Autograd
import Datasets
import Evaluation

/// Settings of one implicit-feedback (BPR) factorization run.
public struct ImplicitRunConfig: Sendable {
    /// Vector width.
    public var dimension = 64
    /// L2 weight on the touched rows.
    public var l2: Float = 1e-4
    /// Standard deviation of the starting tables.
    public var initialStd: Float = 0.1
    /// Batch size, epochs, learning rate and seed (Adam; `patience` and the other rules are not used).
    public var training = RatingTrainingConfig()

    /// Defaults: dimension 64, 20 epochs of Adam at 0.01.
    public init() {}

    /// Every setting, as archive hyperparameters.
    public var hyperparameters: [String: JSONValue] {
        ["model": "bpr", "dimension": .number(Double(dimension)), "l2": .number(Double(l2)), "initial_std": .number(Double(initialStd)),
         "learning_rate": .number(Double(training.learningRate)), "batch": .number(Double(training.batchSize)),
         "epochs": .number(Double(training.epochs)), "optimizer": "adam (touched rows only)",
         "negatives": "1 uniform unseen item per positive"]
    }
}

/// What a BPR run produced and measured.
public struct ImplicitRunResult {
    /// The trained factorization.
    public var model: MatrixFactorization
    /// Test HR@10 / NDCG@10 / MRR over the full catalogue, training items excluded.
    public var test: RankingReport
    /// Per-epoch figures.
    public var epochs: [RatingEpochReport]

    /// What the run measured, as archive metrics.
    public var metrics: [String: JSONValue] {
        ["test_hr@10": .number(test.hitRate), "test_ndcg@10": .number(test.ndcg), "test_mrr": .number(test.mrr),
         "examples_per_second": .number(Statistics.overallRate(epochs.map { ($0.examplesPerSecond, $0.seconds) })),
         "evaluation": "the model's score (user · item + biases) over the full catalogue, training items excluded"]
    }

    /// The archive of this run: item vectors, item biases and user vectors, every setting and the metrics.
    public func archive(_ config: ImplicitRunConfig, items: Vocabulary, data: ArchiveManifest.DataProvenance) -> ArchiveContents {
        var provenance = data
        provenance.split = "leave-last-out train"
        return EmbeddingArchiveBuilder.factorization(method: "mf-bpr", items: items, itemTable: model.items.table.value,
                                                     otherTensors: ["item_bias": model.itemBias.table.value, "users": model.users.table.value],
                                                     hyperparameters: config.hyperparameters, metrics: metrics,
                                                     seed: config.training.seed, data: provenance)
    }
}

/// Trains matrix factorization with BPR on the leave-last-out training part
/// and ranks the full catalogue for each test target: the path `pretrain mf
/// --model bpr` calls.
public enum ImplicitFactorizationRunner {
    /// Runs `config` on `data`.
    public static func run(_ data: Interactions, config: ImplicitRunConfig,
                           progress: ((RatingEpochReport) -> Void)? = nil) throws -> ImplicitRunResult {
        let split = try LeaveLastOutSplit(checking: data)
        var rng = SeededGenerator(seed: config.training.seed)
        let model = MatrixFactorization(userCount: data.userCount, itemCount: data.itemCount, dimension: config.dimension,
                                        std: config.initialStd, globalMean: 0, rng: &rng)
        let epochs = try ImplicitTrainer.train(model, positives: split.train, itemCount: data.itemCount, config: config.training,
                                               regularizer: Regularizers.l2(config.l2), progress: progress)
        let test = model.rankTargets(split: split, target: .test)
        return ImplicitRunResult(model: model, test: test, epochs: epochs)
    }
}
