import Archive
import ArgumentParser
import Autograd
import Datasets
import Downstream
import Foundation
import Optimizers
import Reports

extension SequenceEncoderKind: ExpressibleByArgument {}
extension TrainingWindows: ExpressibleByArgument {}
extension CheckpointSelection: ExpressibleByArgument {}

/// `warmstart nextitem`: sequence-aware next-item recommenders.
struct NextItemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nextitem",
        abstract: "Train, evaluate and query next-item recommenders (GRU, SASRec) warm-started from archives.",
        subcommands: [Train.self, Evaluate.self, Recommend.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train on the leave-last-out training part; early stopping on validation NDCG@10; report test figures beside baselines.")
        @OptionGroup var source: DataOptions
        @Option(help: "gru (W5) or sasrec (W6).") var model: SequenceEncoderKind = .gru
        @Option(help: "Archive (file or NAME[@VERSION]) to warm-start the item table from.") var initArchive: String?
        @Option(help: "random, frozen, finetuned, finetuned-slow or gradual (default: \(NextItemRunConfig.recommendedStart.rawValue) with --init-archive, chosen on validation across the reuse grids; random without).") var start: StartMode?
        @Option(help: "Items the archive lacks start as: random, mean or zero.") var missing: MissingKeyPolicy = .random
        @Option(help: "Pretrained rows scaled first: init (whitened to the random start's spread), unit (each row to length 1), none, or auto (SASRec: unit; GRU: none unless the rows are under half the random start's spread, then init).") var rescale = NextItemRunConfig().rescale
        @Option(help: "Embedding and hidden width (the archive's when warm-starting).") var dim = 64
        @Option(help: "Longest history.") var maxLength = 50
        @Option(help: "Dropout (default 0.2, chosen on validation across three catalogues; W5 as written: 0); on the GRU it drops item vectors going in and states coming out.") var dropout: Float?
        @Option(help: "Passes over the users (W5: 100, W6: 200).") var epochs: Int?
        @Option(help: "Users per step.") var batch = 128
        @Option(help: "Adam learning rate (default: 0.003; 0.001 for a GRU with --init-archive; chosen on validation across three catalogues).") var learningRate: Float?
        @Option(help: "Evaluate validation NDCG@10 every N epochs.") var evaluateEvery = 5
        @Option(help: "Stop after this many evaluations without improvement.") var patience: Int?
        @Option(help: "Weights kept: best (the best validation evaluation), smoothed (the end of the best mean of 3 evaluations in a row) or last (default: \(NextItemTrainingConfig.defaultSelection.rawValue)).") var selection: CheckpointSelection?
        @Flag(help: "Separate output item table (default: tied to the input table).") var untied = false
        @Flag(help: "Learn a per-item score bias.") var bias = false
        @Flag(help: "Keep seen items in the ranking (repeat consumption data).") var keepSeen = false
        @Flag(help: "Repeat-aware scoring: a learned gate mixes a copy distribution over the user's own history into the catalogue softmax (for re-consumption; with --keep-seen).") var repeatAware = false
        @Option(help: "Training window per user and epoch: random (a window redrawn each epoch, so long histories are used whole; the default, chosen on validation) or last (the last max-length + 1 items, W5/W6 as written).") var windows: TrainingWindows = .random
        @Option(help: "Loss: full (softmax over the catalogue, W5/W6), sampled (softmax over the target and --negatives items drawn uniformly), popular (drawn by training popularity, with the log-Q correction) or bpr (one drawn item per position); the last three for large catalogues.") var loss = "full"
        @Option(help: "Items drawn per batch for --loss sampled and popular.") var negatives = 100
        @Option(help: "Seed.") var seed: UInt64 = 0
        @Option(help: "Threads for the matrix products, the output layer and the row-wise kernels (softmax, layer norm, dropout), one pool.") var threads = 2
        @Option(help: "Model archive to write (the kept checkpoint is written as training goes).") var out: String?
        @Option(help: "Write a resumable snapshot here after every epoch.") var checkpoint: String?
        @Option(help: "Resume from a snapshot written by --checkpoint (same data and settings).") var resume: String?
        @Flag(help: "Print a JSON summary on standard output.") var json = false
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                let loaded = try source.interactions()
                let archive = try initArchive.map { try location.modelStore.embeddings($0) }
                var config = NextItemRunConfig()
                config.encoder = model; config.dimension = dim; config.maxLength = maxLength; config.dropout = dropout
                config.tied = !untied; config.outputBias = bias; config.start = .chosen(start, archive: archive != nil, recommended: NextItemRunConfig.recommendedStart); config.missing = missing; config.rescale = rescale; config.seed = seed
                config.repeatAware = repeatAware ? true : nil
                config.training.epochs = epochs ?? NextItemRunConfig.asWritten(model).training.epochs; config.training.batchSize = batch
                config.training.learningRate = learningRate; config.training.evaluateEvery = evaluateEvery
                config.training.patience = patience; config.training.selection = selection; config.training.keepSeen = keepSeen; config.training.windows = windows
                config.training.threads = threads
                config.training.loss = try NextItemLoss(name: loss, negatives: negatives)
                let metrics = try NextItemRunner.train(loaded, archive: archive, config: config,
                                                       files: NextItemFiles(model: out, checkpoint: checkpoint, resume: resume), note: ProgressReporter.note,
                                                       progress: ProgressReporter(total: config.training.epochs, unit: "positions").epoch)
                IntrinsicReport.printMetrics(metrics, json: json)
            }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evaluate a saved model on the test targets (full catalogue).")
        @Argument(help: "The model archive.") var model: String
        @OptionGroup var source: DataOptions
        @Flag(help: "Keep seen items in the ranking.") var keepSeen = false

        func run() throws {
            try reportingErrors {
                IntrinsicReport.printMetrics(try NextItemRunner.evaluate(modelAt: model, on: try source.interactions(), keepSeen: keepSeen), json: false)
            }
        }
    }

    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recommend the next items for a history of item keys.")
        @Argument(help: "The model archive.") var model: String
        @Option(help: "Item keys, oldest first, comma-separated.") var history: String
        @Option(name: .shortAndLong, help: "How many items.") var k = 10
        @Flag(help: "Refuse unknown items instead of ignoring them.") var strict = false
        @Flag(help: "Keep the history's items in the recommendations.") var keepSeen = false
        @Option(help: "A RecBole .item file for titles (default: ml-100k's, for a model trained on ml-100k).") var items: String?

        func run() throws {
            try reportingErrors {
                let recommender = try NextItemRecommender(path: model)
                let (lines, notes) = try recommender.lines(forList: history, k: k, keepSeen: keepSeen, strict: strict, catalog: try recommender.catalog(path: items))
                notes.forEach(ProgressReporter.note)
                lines.forEach { print($0) }
            }
        }
    }
}
