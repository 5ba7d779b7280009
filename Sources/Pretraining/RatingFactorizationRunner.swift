import Archive
import Autograd
import Datasets
import Evaluation

/// The explicit-rating models `RatingFactorizationRunner` trains.
public enum RatingModelKind: String, Sendable, Codable, CaseIterable {
    /// Dot product plus user and item biases and the global mean (W1).
    case explicit
    /// SVD++: explicit plus the user's rated training items as implicit feedback.
    case svdpp
    /// An MLP over the concatenated user and item vectors.
    case feedforward
}

/// Settings of one rating-factorization run.
public struct RatingRunConfig: Sendable {
    /// Which model.
    public var model = RatingModelKind.explicit
    /// Vector width.
    public var dimension = 64
    /// L2 weight on the touched rows.
    public var l2: Float = 1e-4
    /// L2 weight on the touched biases (nil: `l2`).
    public var biasL2: Float?
    /// SVD++: L2 weight on the implicit factors, each distinct row a batch touches once (nil: 3 x `l2`).
    public var implicitL2: Float?
    /// Seed of the 80/20 ratings split (and, with a patience, of the 90/10 validation split).
    public var splitSeed: UInt64 = 0
    /// Models trained (seeds `training.seed`, +1, …) and averaged into one factorization (explicit, svdpp).
    public var ensemble = 1
    /// Training settings (`training.patience` holds out a tenth of the training ratings for validation).
    public var training = RatingTrainingConfig()

    /// Defaults: BENCHMARKS.md W1.
    public init() {}

    /// The part trained on, as archives record it (the test figures come from the other 20%).
    public var splitDescription: String { "random 80% of ratings (seed \(splitSeed))" }

    /// Every setting, as archive hyperparameters.
    public var hyperparameters: [String: JSONValue] {
        let rule = training.optimizer.rawValue + (training.optimizer == .adam && training.decoupledWeightDecay > 0 ? "w" : "")
        return ["ensemble": .number(Double(ensemble)), "model": .string(model.rawValue), "dimension": .number(Double(dimension)),
                "l2": .number(Double(l2)), "bias_l2": .number(Double(biasL2 ?? l2)), "implicit_l2": .number(Double(implicitL2 ?? 3 * l2)),
                "learning_rate": .number(Double(training.learningRate)), "batch": .number(Double(training.batchSize)),
                "epochs": .number(Double(training.epochs)), "split_seed": .number(Double(splitSeed)), "lr_decay": .bool(training.linearDecay),
                "weight_decay": .number(Double(training.decoupledWeightDecay)), "optimizer": .string(rule + " (touched rows only for embeddings)")]
    }
}

/// What a rating-factorization run produced and measured.
public struct RatingRunResult {
    /// The item vectors (the archive's `vectors`).
    public var itemTable: Tensor
    /// The model's other tensors by archive name (biases, user vectors, implicit factors).
    public var otherTensors: [String: Tensor]
    /// Test RMSE of the (averaged) model, no clipping.
    public var testRMSE: Double
    /// Each ensemble member's test RMSE (empty for one model).
    public var memberTestRMSE: [Double]
    /// Per-epoch figures of every member, in order.
    public var epochs: [RatingEpochReport]
    /// The training mean the model predicts around.
    public var globalMean: Float
    /// Ratings trained on, and ratings in the test part.
    public var trainingCount: Int, testCount: Int

    /// What the run measured, as archive metrics.
    public func metrics(_ config: RatingRunConfig) -> [String: JSONValue] {
        var metrics: [String: JSONValue] = [
            "test_rmse": .number(testRMSE), "epochs_run": .number(Double(epochs.count)),
            "examples_per_second": .number(Statistics.overallRate(epochs.map { ($0.examplesPerSecond, $0.seconds) })),
            "training_ratings": .number(Double(trainingCount)), "test_ratings": .number(Double(testCount)),
            "evaluation": .string("RMSE on the other 20% of ratings (split seed \(config.splitSeed)), no clipping")]
        if !memberTestRMSE.isEmpty { metrics["member_test_rmse"] = .array(memberTestRMSE.map { .number($0) }) }
        return metrics
    }

    /// The archive of this run: item vectors, the other tensors, every setting and the metrics.
    public func archive(_ config: RatingRunConfig, items: Vocabulary, data: ArchiveManifest.DataProvenance) -> ArchiveContents {
        var hyper = config.hyperparameters
        hyper["global_mean"] = .number(Double(globalMean))
        var provenance = data
        provenance.split = config.splitDescription
        return EmbeddingArchiveBuilder.factorization(method: "mf-\(config.model.rawValue)", items: items, itemTable: itemTable,
                                                     otherTensors: otherTensors, hyperparameters: hyper, metrics: metrics(config),
                                                     seed: config.training.seed, data: provenance)
    }
}

/// Trains explicit-rating models on a random 80/20 split of the ratings and
/// measures test RMSE: the path `pretrain mf` (explicit, svdpp, feedforward) calls.
public enum RatingFactorizationRunner {
    /// Runs `config` on `data` (which needs a rating column). `member` is
    /// told each ensemble member's test RMSE when there are several.
    public static func run(_ data: Interactions, config: RatingRunConfig, progress: ((RatingEpochReport) -> Void)? = nil,
                           member: ((Int, Double) -> Void)? = nil) throws -> RatingRunResult {
        guard let ratings = data.ratings else { throw DatasetError.invalidRequest("\(data.source): no rating column") }
        guard config.ensemble >= 1, config.ensemble == 1 || config.model != .feedforward else {
            throw DatasetError.invalidRequest("an ensemble needs the explicit or svdpp model and a count of at least 1")
        }
        let all = RatingTriples(users: data.users, items: data.items, ratings: ratings)
        // With a patience a tenth of the training part picks the epoch; without one the model trains on all of it.
        let parts = IndexSplit.fitValidationTest(count: all.count, seed: config.splitSeed)
        let train = all.subset(config.training.patience == nil ? (parts.fit + parts.validation).sorted() : parts.fit)
        let validation = config.training.patience == nil ? nil : all.subset(parts.validation)
        let test = all.subset(parts.test)
        guard train.count > 0, test.count > 0, validation.map({ $0.count > 0 }) ?? true else {
            throw DatasetError.invalidRequest("\(data.source): too little data: \(all.count) rating(s) leave an empty training, validation or test part (the 80/20 split, then 90/10 with a patience, needs at least 10 ratings)")
        }
        let mean = train.mean, dim = config.dimension, l2 = config.l2, b = config.biasL2 ?? config.l2
        var epochs: [RatingEpochReport] = [], memberRMSE: [Double] = []
        /// `ensemble` models made by `make`, seeds training.seed, +1, …
        func members<Model: PairScorer>(_ regularizer: @escaping Regularizer, _ make: (inout SeededGenerator) -> Model) throws -> [Model] {
            try (0..<config.ensemble).map { k in
                var settings = config.training
                settings.seed = config.training.seed &+ UInt64(k)
                var rng = SeededGenerator(seed: settings.seed)
                let one = make(&rng)
                epochs += try RatingTrainer.train(one, data: train, validation: validation, config: settings, regularizer: regularizer, progress: progress)
                if config.ensemble > 1 {
                    memberRMSE.append(RatingTrainer.rootMeanSquaredError(one, test))
                    member?(k, memberRMSE[k])
                }
                return one
            }
        }
        let result: (rmse: Double, items: Tensor, others: [String: Tensor])
        switch config.model {
        case .explicit:
            let mf = MatrixFactorization.averaging(try members(Regularizers.l2(perRow: [l2, l2, b, b])) { rng in
                MatrixFactorization(userCount: data.userCount, itemCount: data.itemCount, dimension: dim, globalMean: mean, rng: &rng)
            })
            result = (RatingTrainer.rootMeanSquaredError(mf, test), mf.items.table.value,
                      ["item_bias": mf.itemBias.table.value, "users": mf.users.table.value, "user_bias": mf.userBias.table.value])
        case .svdpp:
            let rated = ImplicitFeedbackFactorization.ratedItems(train, userCount: data.userCount)
            let model = ImplicitFeedbackFactorization.averaging(try members(Regularizers.l2(perRow: [l2, l2, b, b, config.implicitL2 ?? 3 * l2])) { rng in
                ImplicitFeedbackFactorization(ratedItems: rated, itemCount: data.itemCount, dimension: dim, globalMean: mean, rng: &rng)
            })
            result = (RatingTrainer.rootMeanSquaredError(model, test), model.base.items.table.value,
                      ["item_bias": model.base.itemBias.table.value, "users": model.base.users.table.value,
                       "user_bias": model.base.userBias.table.value, "implicit_items": model.implicitItems.table.value])
        case .feedforward:
            let ff = try members(Regularizers.l2(l2)) { rng in
                FeedForwardRecommender(userCount: data.userCount, itemCount: data.itemCount, dimension: dim, hidden: [64], globalMean: mean, rng: &rng)
            }[0]
            result = (RatingTrainer.rootMeanSquaredError(ff, test), ff.items.table.value, ["users": ff.users.table.value])
        }
        return RatingRunResult(itemTable: result.items, otherTensors: result.others, testRMSE: result.rmse,
                               memberTestRMSE: memberRMSE, epochs: epochs, globalMean: mean, trainingCount: train.count, testCount: test.count)
    }
}
