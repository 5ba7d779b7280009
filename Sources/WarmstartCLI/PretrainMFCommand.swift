import Archive
import ArgumentParser
import Datasets
import Downstream
import Evaluation
import Pretraining
import Reports

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
            let progress = ProgressReporter(total: epochs, unit: "examples")
            var training = RatingTrainingConfig()
            training.batchSize = batch; training.epochs = epochs; training.learningRate = learningRate; training.seed = seed
            training.patience = patience; training.linearDecay = lrDecay; training.decoupledWeightDecay = weightDecay; training.optimizer = optimizer
            let contents: ArchiveContents, measured: [String: JSONValue]
            if model == "bpr" {
                var config = ImplicitRunConfig()
                config.dimension = dim; config.l2 = l2; config.training = training
                ProgressReporter.note("mf (bpr): dim \(dim), seed \(seed), leave-last-out split")
                let result = try ImplicitFactorizationRunner.run(loaded.data, config: config) { r in
                    progress.epoch(r.epoch, loss: r.loss, amount: Int(r.examplesPerSecond), seconds: 1)
                }
                contents = result.archive(config, items: loaded.data.itemVocabulary, data: loaded.provenance(split: ""))
                measured = result.metrics
            } else {
                guard let kind = RatingModelKind(rawValue: model) else { throw ValidationError("--model is explicit, svdpp, feedforward or bpr") }
                var config = RatingRunConfig()
                config.model = kind; config.dimension = dim; config.l2 = l2; config.biasL2 = biasL2; config.implicitL2 = implicitL2
                config.splitSeed = splitSeed; config.ensemble = ensemble; config.training = training
                ProgressReporter.note("mf (\(model)): dim \(dim), seed \(seed), split seed \(splitSeed)")
                let result = try RatingFactorizationRunner.run(loaded.data, config: config, progress: { r in
                    progress.epoch(r.epoch, loss: r.loss, amount: Int(r.examplesPerSecond), seconds: 1,
                                   extra: r.validationRMSE.map { String(format: "validation RMSE %.4f", $0) } ?? "")
                }, member: { k, rmse in
                    ProgressReporter.note(String(format: "member %d (seed %llu): test RMSE %.4f", k + 1, seed &+ UInt64(k), rmse))
                })
                contents = result.archive(config, items: loaded.data.itemVocabulary, data: loaded.provenance(split: ""))
                measured = result.metrics(config)
            }
            try WarmArchive.write(contents, to: output.out)
            let embeddings = try KeyedEmbeddings(contents)
            let shown = measured.merging(CategoryAgreement.metrics(embeddings, categories: loaded.catalog?.categories)) { $1 }
            IntrinsicReport.print(embeddings: embeddings, catalog: loaded.catalog, metrics: shown, json: output.json, out: output.out)
        }
    }
}
