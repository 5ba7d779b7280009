import Archive
import Autograd
import Datasets
import Dispatch
import Evaluation

/// What an implicit-ALS run produced and measured.
public struct ALSRunResult {
    /// The trained factorization.
    public var model: ImplicitALS
    /// Test HR@10 / NDCG@10 / MRR over the full catalogue, training items excluded (W8).
    public var test: RankingReport
    /// Validation figures of the same protocol (for choosing alpha and λ).
    public var validation: RankingReport
    /// Training seconds (all sweeps).
    public var seconds: Double

    /// What the run measured, as archive metrics.
    public var metrics: [String: JSONValue] {
        ["test_hr@10": .number(test.hitRate), "test_ndcg@10": .number(test.ndcg), "test_mrr": .number(test.mrr),
         "validation_hr@10": .number(validation.hitRate), "validation_ndcg@10": .number(validation.ndcg),
         "train_seconds": .number(seconds), "iterations_per_second": .number(Double(model.config.iterations) / max(seconds, 1e-9)),
         "evaluation": "user · item over the full catalogue, training items excluded (W8)"]
    }

    /// The archive of this run: item factors as `vectors`, user factors as `users`, every setting and the metrics.
    public func archive(items: Vocabulary, data: ArchiveManifest.DataProvenance) -> ArchiveContents {
        var provenance = data
        provenance.split = "leave-last-out train"
        return EmbeddingArchiveBuilder.factorization(method: "als", items: items, itemTable: model.items, otherTensors: ["users": model.users],
                                                     hyperparameters: model.config.hyperparameters, metrics: metrics,
                                                     seed: model.config.seed, data: provenance)
    }
}

/// Trains implicit ALS on the leave-last-out training part (every training
/// pair a positive) and ranks the full catalogue for each validation and
/// test target: the path `pretrain als` calls (BENCHMARKS.md W8).
public enum ALSRunner {
    /// Runs `config` on `data`; `progress` hears each sweep.
    public static func run(_ data: Interactions, config: ALSConfig, progress: ((Int, Double) -> Void)? = nil) throws -> ALSRunResult {
        guard config.factors >= 1, config.iterations >= 1, config.cgSteps >= 0, config.regularization >= 0, config.alpha >= 0 else {
            throw DatasetError.invalidRequest("ALS needs factors and iterations of at least 1, CG steps of at least 0, and alpha and regularization of at least 0")
        }
        let split = try LeaveLastOutSplit(checking: data)
        let positives = split.train.map { Array(Set($0)).sorted() }  // binary: a pair seen twice counts once
        let model = ImplicitALS(userCount: data.userCount, itemCount: data.itemCount, config: config)
        let start = DispatchTime.now().uptimeNanoseconds
        model.fit(positives, progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let figures = evaluate(users: model.users, items: model.items, split: split)
        return ALSRunResult(model: model, test: figures.test, validation: figures.validation, seconds: seconds)
    }

    /// W8's figures for any user and item factors (row u of `users` is user
    /// u of the split, row i of `items` item i): user · item over the full
    /// catalogue for each test and validation target, training items excluded.
    public static func evaluate(users: Tensor, items: Tensor, split: LeaveLastOutSplit) -> (test: RankingReport, validation: RankingReport) {
        let f = items.shape[1]
        func figures(_ target: FullRankingEvaluation.Target) -> RankingReport {
            FullRankingEvaluation.evaluateDotProducts(split: split, target: target, table: items) { user, query in
                users.withUnsafeBufferPointer { query.update(from: $0.baseAddress! + user * f, count: f) }
                return true
            }
        }
        return (figures(.test), figures(.validation))
    }
}

/// What an explicit-ALS run produced and measured.
public struct ExplicitALSResult {
    /// The trained factorization.
    public var model: ExplicitALS
    /// RMSE on the test part, or on the validation tenth when `onValidation`.
    public var rmse: Double
    /// Whether `rmse` is the validation figure (the test part unread).
    public var onValidation: Bool
    /// Sweeps run.
    public var iterations: Int

    /// What the run measured, as archive metrics.
    public var metrics: [String: JSONValue] {
        [onValidation ? "validation_rmse" : "test_rmse": .number(rmse),
         "evaluation": .string(onValidation ? "RMSE on a tenth of the 80% training part" : "RMSE on the 20% test part (W1), no clipping")]
    }

    /// The archive: item factors as `vectors`, user factors as `users`, the settings and the metrics.
    public func archive(items: Vocabulary, seed: UInt64, data: ArchiveManifest.DataProvenance) -> ArchiveContents {
        var provenance = data
        provenance.split = onValidation ? "90% of a random 80% of ratings (seed 0)" : "random 80% of ratings (seed 0)"
        let hyper: [String: JSONValue] = ["model": "explicit weighted-λ ALS", "factors": .number(Double(model.factors)),
                                          "regularization": .number(Double(model.regularization)), "iterations": .number(Double(iterations)),
                                          "global_mean": .number(Double(model.globalMean))]
        return EmbeddingArchiveBuilder.factorization(method: "als-explicit", items: items, itemTable: model.items, otherTensors: ["users": model.users],
                                                     hyperparameters: hyper, metrics: metrics, seed: seed, data: provenance)
    }
}

extension ALSRunner {
    /// Explicit-ratings ALS with weighted-λ on W1's split (a random 80% of
    /// the ratings with `splitSeed`), measured by test RMSE (no clipping);
    /// with `validation`, trained on 90% of the training part and measured
    /// on the other tenth (for choosing λ), the test part unread.
    public static func runExplicit(_ data: Interactions, factors: Int = 64, regularization: Float = ExplicitALS.defaultRegularization, iterations: Int = 15,
                                   threads: Int = 2, seed: UInt64 = 0, splitSeed: UInt64 = 0,
                                   validation: Bool = false) throws -> ExplicitALSResult {
        guard let ratings = data.ratings else { throw DatasetError.invalidRequest("\(data.source): explicit ALS needs a rating column") }
        let parts = IndexSplit.fitValidationTest(count: data.count, seed: splitSeed)
        let (train, test) = validation ? (parts.fit, parts.validation) : ((parts.fit + parts.validation).sorted(), parts.test)
        guard !train.isEmpty, !test.isEmpty else { throw DatasetError.invalidRequest("\(data.source): too little data for the 80/20 ratings split") }
        let mean = train.map { ratings[$0] }.reduce(0, +) / Float(train.count)
        let model = ExplicitALS(userCount: data.userCount, itemCount: data.itemCount, factors: factors, regularization: regularization,
                                globalMean: mean, seed: seed)
        model.fit(users: train.map { data.users[$0] }, items: train.map { data.items[$0] }, ratings: train.map { ratings[$0] },
                  iterations: iterations, threads: threads)
        let predicted = model.predict(users: test.map { data.users[$0] }, items: test.map { data.items[$0] })
        let squared = zip(predicted, test.map { ratings[$0] }).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
        return ExplicitALSResult(model: model, rmse: (squared / Double(test.count)).squareRoot(), onValidation: validation, iterations: iterations)
    }
}
