import Archive
import ArgumentParser
import Datasets
import Downstream
import Foundation
import Reports

extension StartMode: ExpressibleByArgument {}
extension MissingKeyPolicy: ExpressibleByArgument {}
extension RescalePolicy: ExpressibleByArgument {}
extension ShillingAttack: ExpressibleByArgument {}
extension ClassificationTaskName: ExpressibleByArgument {}

/// `warmstart classify`: feed-forward classifiers warm-started from archives.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Train a classifier (spam, shilling, genres, or your labelled text) warm-started from an archive, and predict with it.",
        subcommands: [Train.self, Predict.self])

    /// Builds the task the options name.
    struct TaskOptions: ParsableArguments {
        @Option(help: "spam (W4), shilling (fake ml-100k profiles), genres (ml-100k genre tagging), text or items (--data FILE).")
        var task: ClassificationTaskName = .spam
        @Option(help: "Your labelled file: label<TAB>text (--task text) or label<TAB>item item:weight … (--task items).") var data: String?
        @Option(help: "The positive label of a binary text task.") var positiveLabel = "spam"
        @Option(help: "text, items: a test file you split off (then --data is the training part).") var test: String?
        @Option(help: "text, items with --test: a validation file (default: a stratified tenth of --data).") var validation: String?
        @Option(help: "Shilling attack model: random, average, bandwagon or mixed.") var attack: ShillingAttack = .mixed
        @Option(help: "Fake profiles as a share of users.") var attackSize = 0.05
        @Option(help: "Filler items as a share of items.") var fillerSize = 0.05
        @Option(help: "Seed of the splits (and of the attack).") var splitSeed: UInt64 = 0
        @Option(help: "Cache folder of the public data.") var dataDir: String?

        func make() throws -> (ClassificationTask, String) {
            var options = ClassificationTaskName.Options()
            options.file = data; options.testFile = test; options.validationFile = validation; options.positiveLabel = positiveLabel; options.attack = attack; options.attackSize = attackSize
            options.fillerSize = fillerSize; options.seed = splitSeed
            if let dataDir { options.cache = DataCache(root: dataDir) }
            let made = try task.make(options)
            if let note = made.note { ProgressReporter.note(note) }
            return (made.task, made.source)
        }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train and evaluate a classifier; save it as a .warm model archive.")
        @OptionGroup var taskOptions: TaskOptions
        @Option(help: "Archive (file or NAME[@VERSION]) to warm-start the embedding table from.") var initArchive: String?
        @Option(help: "random, frozen, finetuned, finetuned-slow or gradual (default: \(ClassificationRunConfig.recommendedStart.rawValue) with --init-archive, chosen on validation across the reuse grids; random without).") var start: StartMode?
        @Option(help: "Keys the archive lacks start as: random, mean or zero.") var missing: MissingKeyPolicy = .random
        @Option(help: "Pretrained rows scaled first: init (whitened to the random start's spread), unit (each row to length 1), none or auto.") var rescale = ClassificationRunConfig().rescale
        @Option(help: "Learning-rate factor of pretrained rows for finetuned-slow.") var slowScale: Float = 0.1
        @Option(help: "Embedding width (the archive's when warm-starting).") var dim = 64
        @Option(help: "Hidden widths, comma-separated ('' = linear probe).") var hidden = "64"
        @Option(help: "Passes over the training data.") var epochs = 10
        @Option(help: "Examples per step.") var batch = 64
        @Option(help: "Adam learning rate.") var learningRate: Float = 0.001
        @Option(help: "Share of the training labels to use (stratified).") var fraction = 1.0
        @Option(help: "Seed of initialisation and batch order.") var seed: UInt64 = 0
        @Option(help: "Model archive to write.") var out: String?
        @Flag(help: "Print a JSON summary on standard output.") var json = false
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                let (task, source) = try taskOptions.make()
                let archive = try initArchive.map { try location.modelStore.embeddings($0) }
                var config = ClassificationRunConfig()
                config.start = .chosen(start, archive: archive != nil, recommended: ClassificationRunConfig.recommendedStart); config.missing = missing; config.rescale = rescale; config.slowScale = slowScale; config.dimension = archive?.dimension ?? dim
                config.hidden = hidden.split(separator: ",").compactMap { Int($0) }
                config.training.epochs = epochs; config.training.batchSize = batch; config.training.learningRate = learningRate
                config.training.seed = seed; config.seed = seed
                let metrics = try ClassificationRunner.train(task, source: source, archive: archive, config: config, fraction: fraction, modelPath: out,
                                                             note: ProgressReporter.note, progress: ProgressReporter(total: epochs, unit: "examples").epoch)
                IntrinsicReport.printMetrics(metrics, json: json)
            }
        }
    }

    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Score texts or item bags with a saved classifier.")
        @Argument(help: "The model archive.") var model: String
        @Option(help: "A text to score (repeatable).") var text: [String] = []
        @Option(help: "Item keys to score as one bag, comma-separated.") var items: String?

        func run() throws {
            try reportingErrors {
                let (lines, notes) = try ClassifierPredictor(path: model).lines(texts: text, items: items)
                notes.forEach(ProgressReporter.note)
                lines.forEach { print($0) }
            }
        }
    }
}
