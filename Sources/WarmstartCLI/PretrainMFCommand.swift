import ArgumentParser
import Downstream
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
            var config = FactorizationJobConfig()
            config.model = try FactorizationModel(name: model)
            var s = RatingRunConfig()
            s.dimension = dim; s.l2 = l2; s.biasL2 = biasL2; s.implicitL2 = implicitL2; s.splitSeed = splitSeed; s.ensemble = ensemble
            s.training.batchSize = batch; s.training.epochs = epochs; s.training.learningRate = learningRate; s.training.seed = seed
            s.training.patience = patience; s.training.linearDecay = lrDecay; s.training.decoupledWeightDecay = weightDecay; s.training.optimizer = optimizer
            config.settings = s
            let loaded = try source.interactions()
            let result = try FactorizationJob.run(loaded.data, config: config, source: loaded.provenance(split: ""), categories: loaded.catalog?.categories,
                                                  note: ProgressReporter.note, progress: ProgressReporter(total: epochs, unit: "examples").epoch)
            try output.write(result.archive, metrics: result.metrics, catalog: loaded.catalog)
        }
    }
}
