import Archive
import ArgumentParser
import Autograd
import Datasets
import Evaluation
import Foundation
import Pretraining

extension RatingUpdateRule: ExpressibleByArgument {}

/// `warmstart pretrain mf`: matrix factorization on the autograd tape.
struct PretrainMF: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mf",
        abstract: "Matrix factorization on the tape: explicit ratings (W1: MSE, biases, global mean), the feed-forward variant, or implicit BPR.",
        discussion: """
        explicit and feedforward train on the 80% part of a seeded random ratings split and report test RMSE on the rest.
        bpr trains on the leave-last-out training part (every event a positive, negatives drawn uniformly from unseen items)
        and reports HR@10 / NDCG@10 on the test targets over the full catalogue.
        """)
    @OptionGroup var source: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "explicit (dot product + biases), svdpp (explicit plus the user's rated items as implicit feedback), feedforward (MLP over [user, item]) or bpr (implicit).") var model = "explicit"
    @Option(help: "Vector width.") var dim = 64
    @Option(help: "L2 weight on the touched rows.") var l2: Float = 1e-4
    @Option(help: "L2 weight on the touched biases (default: the same as --l2).") var biasL2: Float?
    @Option(help: "svdpp: L2 weight on the implicit item factors, each distinct row a batch touches counted once (default: 3 x --l2).") var implicitL2: Float?
    @Flag(help: "Lower the learning rate linearly to 0 over the run.") var lrDecay = false
    @Option(help: "Decoupled weight decay (AdamW) on every parameter (0 = Adam).") var weightDecay: Float = 0
    @Option(help: "adam (W1; AdamW with --weight-decay), adagrad or sgd.") var optimizer = RatingUpdateRule.adam
    @Option(help: "Learning rate.") var learningRate: Float = 0.01
    @Option(help: "Examples per step.") var batch = 1024
    @Option(help: "Passes over the data.") var epochs = 20
    @Option(help: "Stop when validation RMSE has not improved for this many epochs (uses 10% of training as validation).") var patience: Int?
    @Option(help: "Seed of the initialisation and batch order.") var seed: UInt64 = 0
    @Option(help: "Seed of the 80/20 ratings split.") var splitSeed: UInt64 = 0
    @Option(help: "explicit, svdpp: train this many models (seeds --seed, --seed + 1, …) and keep their average, written as one factorization of ensemble × dim columns.") var ensemble = 1

    func run() throws {
        try reportingErrors {
            guard ensemble >= 1, ensemble == 1 || ["explicit", "svdpp"].contains(model) else { throw ValidationError("--ensemble needs --model explicit or svdpp and a count of at least 1") }
            let loaded = try source.interactions()
            if model == "bpr" { return try runBPR(loaded) }
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
            guard train.count > 0, test.count > 0, validation.map({ $0.count > 0 }) ?? true else {
                throw DatasetError.invalidRequest("\(loaded.name): too little data: \(all.count) rating(s) leave an empty training, validation or test part (the 80/20 split, then 90/10 with --patience, needs at least 10 ratings)")
            }
            var rng = SeededGenerator(seed: seed)
            let mean = train.mean
            var config = RatingTrainingConfig()
            config.batchSize = batch; config.epochs = epochs; config.learningRate = learningRate; config.patience = patience; config.seed = seed
            config.linearDecay = lrDecay; config.decoupledWeightDecay = weightDecay
            config.optimizer = optimizer
            let b = biasL2 ?? l2
            ProgressReporter.note("mf (\(model)): \(train.count) training ratings, \(test.count) test, mean \(mean), dim \(dim), seed \(seed)")
            let progress = ProgressReporter(total: epochs, unit: "examples")
            let report: (RatingEpochReport) -> Void = { r in
                progress.epoch(r.epoch, loss: r.loss, amount: Int(r.examplesPerSecond), seconds: 1,
                               extra: r.validationRMSE.map { String(format: "validation RMSE %.4f", $0) } ?? "")
            }
            let itemTable: Tensor, rmse: Double, reports: [RatingEpochReport]
            var memberRMSE: [Double] = []
            var extra: [String: Tensor] = [:]
            switch model {
            case "explicit":
                let (members, memberReports) = try trainMembers(train, validation, test, config, regularizer: Regularizers.l2(perRow: [l2, l2, b, b]),
                                                                progress: report, memberRMSE: &memberRMSE) { memberRNG in
                    MatrixFactorization(userCount: loaded.data.userCount, itemCount: loaded.data.itemCount, dimension: dim,
                                        globalMean: mean, rng: &memberRNG)
                }
                reports = memberReports
                let mf = MatrixFactorization.averaging(members)
                rmse = RatingTrainer.rootMeanSquaredError(mf, test)
                itemTable = mf.items.table.value
                extra = ["item_bias": mf.itemBias.table.value, "users": mf.users.table.value, "user_bias": mf.userBias.table.value]
            case "svdpp":
                let rated = ImplicitFeedbackFactorization.ratedItems(train, userCount: loaded.data.userCount)
                let (members, memberReports) = try trainMembers(train, validation, test, config, regularizer: Regularizers.l2(perRow: [l2, l2, b, b, implicitL2 ?? 3 * l2]),
                                                                progress: report, memberRMSE: &memberRMSE) { memberRNG in
                    ImplicitFeedbackFactorization(ratedItems: rated, itemCount: loaded.data.itemCount, dimension: dim, globalMean: mean, rng: &memberRNG)
                }
                reports = memberReports
                let model = ImplicitFeedbackFactorization.averaging(members)
                rmse = RatingTrainer.rootMeanSquaredError(model, test)
                itemTable = model.base.items.table.value
                extra = ["item_bias": model.base.itemBias.table.value, "users": model.base.users.table.value,
                         "user_bias": model.base.userBias.table.value, "implicit_items": model.implicitItems.table.value]
            case "feedforward":
                let ff = FeedForwardRecommender(userCount: loaded.data.userCount, itemCount: loaded.data.itemCount, dimension: dim,
                                                hidden: [64], globalMean: mean, rng: &rng)
                reports = try RatingTrainer.train(ff, data: train, validation: validation, config: config, regularizer: Regularizers.l2(l2), progress: report)
                rmse = RatingTrainer.rootMeanSquaredError(ff, test)
                itemTable = ff.items.table.value
                extra = ["users": ff.users.table.value]
            default:
                throw ValidationError("--model is explicit, svdpp, feedforward or bpr")
            }
            let throughput = Statistics.overallRate(reports.map { ($0.examplesPerSecond, $0.seconds) })
            var metrics: [String: JSONValue] = ["test_rmse": .number(rmse), "epochs_run": .number(Double(reports.count)),
                                                "examples_per_second": .number(throughput),
                                                "evaluation": .string("RMSE on a random 20% of ratings (split seed \(splitSeed)), no clipping")]
            if ensemble > 1 { metrics["member_test_rmse"] = .array(memberRMSE.map { .number($0) }) }
            let hyper: [String: JSONValue] = ["ensemble": .number(Double(ensemble)), "model": .string(model), "dimension": .number(Double(dim)), "l2": .number(Double(l2)),
                                              "learning_rate": .number(Double(learningRate)), "batch": .number(Double(batch)),
                                              "epochs": .number(Double(epochs)), "split_seed": .number(Double(splitSeed)),
                                              "bias_l2": .number(Double(b)), "implicit_l2": .number(Double(implicitL2 ?? 3 * l2)), "lr_decay": .bool(lrDecay), "weight_decay": .number(Double(weightDecay)),
                                              "global_mean": .number(Double(mean)),
                                              "optimizer": .string(optimizer.rawValue + (optimizer == .adam && weightDecay > 0 ? "w" : "") + " (touched rows only for embeddings)")]
            let data = ArchiveManifest.DataProvenance(name: loaded.name, fingerprint: loaded.fingerprint, split: "random 80% of ratings (seed \(splitSeed))")
            let manifest = ArchiveManifest(kind: "embeddings", method: "mf-\(model)", hyperparameters: hyper, seed: seed, threads: 1,
                                           data: data, toolVersion: WarmstartVersion.string)
            let keys = loaded.data.itemVocabulary.keys
            let counts = (0..<keys.count).map { i in loaded.data.itemVocabulary.counts[i] }
            var tensors = extra
            tensors["vectors"] = itemTable
            let contents = ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: keys, counts: counts), tensors: tensors,
                                           metrics: .object(metrics),
                                           modelCard: EmbeddingArchiveBuilder.modelCard(method: "mf-\(model)", rows: keys.count, dimension: itemTable.shape[1],
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

    /// Trains `ensemble` models made by `make` with seeds seed, seed + 1, …
    /// (the first from the command's generator), noting each one's test RMSE
    /// when there are several.
    private func trainMembers<Model: PairScorer>(_ train: RatingTriples, _ validation: RatingTriples?, _ test: RatingTriples,
                                                 _ config: RatingTrainingConfig, regularizer: @escaping Regularizer,
                                                 progress: @escaping (RatingEpochReport) -> Void, memberRMSE: inout [Double],
                                                 make: (inout SeededGenerator) -> Model) throws -> ([Model], [RatingEpochReport]) {
        var members: [Model] = [], reports: [RatingEpochReport] = []
        for member in 0..<ensemble {
            var memberRNG = SeededGenerator(seed: seed &+ UInt64(member))
            var memberConfig = config
            memberConfig.seed = seed &+ UInt64(member)
            let one = make(&memberRNG)
            reports += try RatingTrainer.train(one, data: train, validation: validation, config: memberConfig, regularizer: regularizer, progress: progress)
            members.append(one)
            if ensemble > 1 {
                memberRMSE.append(RatingTrainer.rootMeanSquaredError(one, test))
                ProgressReporter.note(String(format: "member %d (seed %llu): test RMSE %.4f", member + 1, seed &+ UInt64(member), memberRMSE[member]))
            }
        }
        return (members, reports)
    }

    private func runBPR(_ loaded: (data: Interactions, catalog: ItemCatalog?, name: String, fingerprint: String)) throws {
        let split = try LeaveLastOutSplit(checking: loaded.data)
        var rng = SeededGenerator(seed: seed)
        let mf = MatrixFactorization(userCount: loaded.data.userCount, itemCount: loaded.data.itemCount, dimension: dim,
                                     std: 0.1, globalMean: 0, rng: &rng)
        var config = RatingTrainingConfig()
        config.batchSize = batch; config.epochs = epochs; config.learningRate = learningRate; config.seed = seed
        ProgressReporter.note("mf (bpr): \(split.train.map(\.count).reduce(0, +)) training events, dim \(dim), seed \(seed)")
        let progress = ProgressReporter(total: epochs, unit: "examples")
        let reports = try ImplicitTrainer.train(mf, positives: split.train, itemCount: loaded.data.itemCount, config: config,
                                                regularizer: Regularizers.l2(l2)) { r in
            progress.epoch(r.epoch, loss: r.loss, amount: Int(r.examplesPerSecond), seconds: 1)
        }
        let users = mf.users.table.value, items = mf.items.table.value, bias = mf.itemBias.table.value
        let test = FullRankingEvaluation.evaluate(split: split) { user, _, scores in
            for i in 0..<items.shape[0] {
                var s = bias[flat: i]
                for j in 0..<dim { s += users[user, j] * items[i, j] }
                scores[i] = s
            }
            return true
        }
        let metrics: [String: JSONValue] = ["test_hr@10": .number(test.hitRate), "test_ndcg@10": .number(test.ndcg), "test_mrr": .number(test.mrr),
                                            "examples_per_second": .number(Statistics.overallRate(reports.map { ($0.examplesPerSecond, $0.seconds) })),
                                            "evaluation": .string("user · item + item bias over the full catalogue, training items excluded")]
        let hyper: [String: JSONValue] = ["model": "bpr", "dimension": .number(Double(dim)), "l2": .number(Double(l2)),
                                          "learning_rate": .number(Double(learningRate)), "batch": .number(Double(batch)),
                                          "epochs": .number(Double(epochs)), "negatives": "1 uniform unseen item per positive"]
        let data = ArchiveManifest.DataProvenance(name: loaded.name, fingerprint: loaded.fingerprint, split: "leave-last-out train")
        let keys = loaded.data.itemVocabulary.keys
        let contents = ArchiveContents(
            manifest: ArchiveManifest(kind: "embeddings", method: "mf-bpr", hyperparameters: hyper, seed: seed, threads: 1, data: data,
                                      toolVersion: WarmstartVersion.string),
            vocabulary: ArchiveVocabulary(keys: keys, counts: loaded.data.itemVocabulary.counts),
            tensors: ["vectors": items, "item_bias": bias, "users": users], metrics: .object(metrics),
            modelCard: EmbeddingArchiveBuilder.modelCard(method: "mf-bpr", rows: keys.count, dimension: dim, data: data, hyperparameters: hyper))
        try WarmArchive.write(contents, to: output.out)
        IntrinsicReport.print(embeddings: try KeyedEmbeddings(keys: keys, vectors: items), catalog: loaded.catalog, metrics: metrics,
                              json: output.json, out: output.out)
    }
}
