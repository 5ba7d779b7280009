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
            let loaded = try source.interactions()
            if model == "bpr" { return try runBPR(loaded) }
            guard let kind = RatingModelKind(rawValue: model) else { throw ValidationError("--model is explicit, svdpp, feedforward or bpr") }
            var config = RatingRunConfig()
            config.model = kind; config.dimension = dim; config.l2 = l2; config.biasL2 = biasL2; config.implicitL2 = implicitL2
            config.splitSeed = splitSeed; config.ensemble = ensemble
            config.training.batchSize = batch; config.training.epochs = epochs; config.training.learningRate = learningRate
            config.training.patience = patience; config.training.seed = seed; config.training.linearDecay = lrDecay
            config.training.decoupledWeightDecay = weightDecay; config.training.optimizer = optimizer
            ProgressReporter.note("mf (\(model)): dim \(dim), seed \(seed), split seed \(splitSeed)")
            let progress = ProgressReporter(total: epochs, unit: "examples")
            let result = try RatingFactorizationRunner.run(loaded.data, config: config, progress: { r in
                progress.epoch(r.epoch, loss: r.loss, amount: Int(r.examplesPerSecond), seconds: 1,
                               extra: r.validationRMSE.map { String(format: "validation RMSE %.4f", $0) } ?? "")
            }, member: { k, rmse in
                ProgressReporter.note(String(format: "member %d (seed %llu): test RMSE %.4f", k + 1, seed &+ UInt64(k), rmse))
            })
            let itemTable = result.itemTable
            var metrics: [String: JSONValue] = ["test_rmse": .number(result.testRMSE), "epochs_run": .number(Double(result.epochs.count)),
                                                "examples_per_second": .number(Statistics.overallRate(result.epochs.map { ($0.examplesPerSecond, $0.seconds) })),
                                                "training_ratings": .number(Double(result.trainingCount)), "test_ratings": .number(Double(result.testCount)),
                                                "evaluation": .string("RMSE on a random 20% of ratings (split seed \(splitSeed)), no clipping")]
            if ensemble > 1 { metrics["member_test_rmse"] = .array(result.memberTestRMSE.map { .number($0) }) }
            var hyper = config.hyperparameters
            hyper["global_mean"] = .number(Double(result.globalMean))
            let data = ArchiveManifest.DataProvenance(name: loaded.name, fingerprint: loaded.fingerprint, split: "random 80% of ratings (seed \(splitSeed))")
            let manifest = ArchiveManifest(kind: "embeddings", method: "mf-\(model)", hyperparameters: hyper, seed: seed, threads: 1,
                                           data: data, toolVersion: WarmstartVersion.string)
            let keys = loaded.data.itemVocabulary.keys
            let counts = (0..<keys.count).map { i in loaded.data.itemVocabulary.counts[i] }
            var tensors = result.otherTensors
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
