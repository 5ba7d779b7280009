import Archive
import ArgumentParser
import Autograd
import Datasets
import Evaluation
import Foundation
import Pretraining

/// `warmstart pretrain mf`: matrix factorization on the autograd tape.
struct PretrainMF: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mf",
        abstract: "Matrix factorization on the tape: explicit ratings (W1: MSE, biases, global mean) or the feed-forward variant.",
        discussion: "Trains on the 80% part of a seeded random ratings split and reports test RMSE on the rest (BENCHMARKS.md).")
    @OptionGroup var source: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "explicit (dot product + biases) or feedforward (MLP over [user, item]).") var model = "explicit"
    @Option(help: "Vector width.") var dim = 64
    @Option(help: "L2 weight on the touched rows.") var l2: Float = 1e-4
    @Option(help: "Adam learning rate.") var learningRate: Float = 0.01
    @Option(help: "Examples per step.") var batch = 1024
    @Option(help: "Passes over the data.") var epochs = 20
    @Option(help: "Stop when validation RMSE has not improved for this many epochs (uses 10% of training as validation).") var patience: Int?
    @Option(help: "Seed of the initialisation and batch order.") var seed: UInt64 = 0
    @Option(help: "Seed of the 80/20 ratings split.") var splitSeed: UInt64 = 0

    func run() throws {
        try reportingErrors {
            let loaded = try source.interactions()
            guard let ratings = loaded.data.ratings else { throw ValidationError("\(loaded.name) has no rating column") }
            let all = RatingTriples(users: loaded.data.users, items: loaded.data.items, ratings: ratings)
            let (trainIndices, testIndices) = IndexSplit.random(count: all.count, trainFraction: 0.8, seed: splitSeed)
            var train = all.subset(trainIndices)
            var validation: RatingTriples?
            if patience != nil {
                let (fit, held) = IndexSplit.random(count: train.count, trainFraction: 0.9, seed: splitSeed &+ 1)
                validation = train.subset(held)
                train = train.subset(fit)
            }
            let test = all.subset(testIndices)
            var rng = SeededGenerator(seed: seed)
            let mean = train.mean
            var config = RatingTrainingConfig()
            config.batchSize = batch; config.epochs = epochs; config.learningRate = learningRate; config.patience = patience; config.seed = seed
            ProgressReporter.note("mf (\(model)): \(train.count) training ratings, \(test.count) test, mean \(mean), dim \(dim), seed \(seed)")
            let progress = ProgressReporter(total: epochs, unit: "examples")
            let report: (RatingEpochReport) -> Void = { r in
                progress.epoch(r.epoch, loss: r.loss, amount: Int(r.examplesPerSecond), seconds: 1,
                               extra: r.validationRMSE.map { String(format: "validation RMSE %.4f", $0) } ?? "")
            }
            let itemTable: Tensor, rmse: Double, reports: [RatingEpochReport]
            var extra: [String: Tensor] = [:]
            switch model {
            case "explicit":
                let mf = MatrixFactorization(userCount: loaded.data.userCount, itemCount: loaded.data.itemCount, dimension: dim,
                                             globalMean: mean, rng: &rng)
                reports = try RatingTrainer.train(mf, data: train, validation: validation, config: config, regularizer: Regularizers.l2(l2), progress: report)
                rmse = RatingTrainer.rootMeanSquaredError(mf, test)
                itemTable = mf.items.table.value
                extra = ["item_bias": mf.itemBias.table.value, "users": mf.users.table.value, "user_bias": mf.userBias.table.value]
            case "feedforward":
                let ff = FeedForwardRecommender(userCount: loaded.data.userCount, itemCount: loaded.data.itemCount, dimension: dim,
                                                hidden: [64], globalMean: mean, rng: &rng)
                reports = try RatingTrainer.train(ff, data: train, validation: validation, config: config, regularizer: Regularizers.l2(l2), progress: report)
                rmse = RatingTrainer.rootMeanSquaredError(ff, test)
                itemTable = ff.items.table.value
                extra = ["users": ff.users.table.value]
            default:
                throw ValidationError("--model is explicit or feedforward")
            }
            let throughput = reports.map(\.examplesPerSecond).sorted()[reports.count / 2]
            let metrics: [String: JSONValue] = ["test_rmse": .number(rmse), "epochs_run": .number(Double(reports.count)),
                                                "median_examples_per_second": .number(throughput),
                                                "evaluation": .string("RMSE on a random 20% of ratings (split seed \(splitSeed)), no clipping")]
            let hyper: [String: JSONValue] = ["model": .string(model), "dimension": .number(Double(dim)), "l2": .number(Double(l2)),
                                              "learning_rate": .number(Double(learningRate)), "batch": .number(Double(batch)),
                                              "epochs": .number(Double(epochs)), "split_seed": .number(Double(splitSeed)),
                                              "global_mean": .number(Double(mean)), "optimizer": "adam (touched rows only for embeddings)"]
            let data = ArchiveManifest.DataProvenance(name: loaded.name, fingerprint: loaded.fingerprint, split: "random 80% of ratings (seed \(splitSeed))")
            let manifest = ArchiveManifest(kind: "embeddings", method: "mf-\(model)", hyperparameters: hyper, seed: seed, threads: 1,
                                           data: data, toolVersion: WarmstartVersion.string)
            let keys = loaded.data.itemVocabulary.keys
            let counts = (0..<keys.count).map { i in loaded.data.itemVocabulary.counts[i] }
            var tensors = extra
            tensors["vectors"] = itemTable
            let contents = ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: keys, counts: counts), tensors: tensors,
                                           metrics: .object(metrics),
                                           modelCard: EmbeddingArchiveBuilder.modelCard(method: "mf-\(model)", rows: keys.count, dimension: dim,
                                                                                        data: data, hyperparameters: hyper))
            try WarmArchive.write(contents, to: output.out)
            var shown = metrics
            if let catalog = loaded.catalog {
                let agreement = CategoryAgreement.measure(try KeyedEmbeddings(keys: keys, vectors: itemTable), categories: catalog.categories)
                shown["genre_agreement@10"] = .number(agreement.neighbours)
                shown["genre_agreement@10_chance"] = .number(agreement.chance)
            }
            IntrinsicReport.print(embeddings: try KeyedEmbeddings(keys: keys, vectors: itemTable), catalog: loaded.catalog,
                                  metrics: shown, json: output.json, out: output.out)
        }
    }
}
