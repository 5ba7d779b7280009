import Archive
import ArgumentParser
import Datasets
import Downstream
import Foundation

extension StartMode: ExpressibleByArgument {}
extension MissingKeyPolicy: ExpressibleByArgument {}
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
        @Option(help: "Shilling attack model: random, average, bandwagon or mixed.") var attack: ShillingAttack = .mixed
        @Option(help: "Fake profiles as a share of users.") var attackSize = 0.05
        @Option(help: "Filler items as a share of items.") var fillerSize = 0.05
        @Option(help: "Seed of the splits (and of the attack).") var splitSeed: UInt64 = 0
        @Option(help: "Cache folder of the public data.") var dataDir: String?

        func make() throws -> (ClassificationTask, String) {
            var options = ClassificationTaskName.Options()
            options.file = data; options.positiveLabel = positiveLabel; options.attack = attack; options.attackSize = attackSize
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
        @Option(help: "random, frozen, finetuned or finetuned-slow.") var start: StartMode = .random
        @Option(help: "Keys the archive lacks start as: random, mean or zero.") var missing: MissingKeyPolicy = .random
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
                var (task, source) = try taskOptions.make()
                task = task.withLabelFraction(fraction, seed: seed)
                var archive: KeyedEmbeddings?
                if let initArchive {
                    archive = try KeyedEmbeddings(try WarmArchive.read(path: try location.archivePath(initArchive)))
                    if start == .random { ProgressReporter.note("note: --start random ignores --init-archive") }
                }
                var config = ClassificationRunConfig()
                config.start = start; config.missing = missing; config.slowScale = slowScale; config.dimension = archive?.dimension ?? dim
                config.hidden = hidden.split(separator: ",").compactMap { Int($0) }
                config.training.epochs = epochs; config.training.batchSize = batch; config.training.learningRate = learningRate
                config.training.seed = seed; config.seed = seed
                ProgressReporter.note("\(task.name): \(task.fit.count) training, \(task.validation.count) validation, \(task.test.count) test examples; \(task.keys.count) rows; seed \(seed)")
                let progress = ProgressReporter(total: epochs, unit: "examples")
                let result = try ClassificationRunner.run(task, archive: start == .random ? nil : archive, config: config) { r in
                    progress.epoch(r.epoch, loss: r.loss, amount: Int(r.examplesPerSecond), seconds: 1,
                                   extra: r.validation.map { String(format: "validation %.4f", $0) } ?? "")
                }
                ProgressReporter.note(result.warmStart.summary)
                var metrics = result.metrics
                metrics["task"] = .string(task.name); metrics["start"] = .string(start.rawValue); metrics["fraction"] = .number(fraction)
                if let out {
                    let reserved: [Int: ArchiveVocabulary.Role] = task.unknownRow.map { [$0: .unknown] } ?? [:]
                    try ClassifierArchive.save(result.model, keys: task.keys, reserved: reserved, metrics: .object(metrics), seed: seed,
                                               data: .init(name: source, fingerprint: "", split: task.split + "; trained on the fit part"),
                                               toolVersion: WarmstartVersion.string, to: out)
                    metrics["model"] = .string(out)
                }
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
                let (classifier, vocabulary) = try ClassifierArchive.load(path: model)
                let index = Dictionary(uniqueKeysWithValues: vocabulary.keys.enumerated().map { ($0.element, Int32($0.offset)) })
                var bags: [[Int32]] = [], shown: [String] = []
                let tokenizer = Tokenizer(maximumNGram: classifier.config.textNGrams ?? 1)
                for t in text {
                    bags.append(tokenizer.tokens(t).map { index[$0] ?? Int32(vocabulary.unknownRow ?? 0) }); shown.append(t)
                }
                if let items {
                    let keys = items.split(separator: ",").map(String.init)
                    let unknown = keys.filter { index[$0] == nil }
                    if !unknown.isEmpty { ProgressReporter.note("ignored \(unknown.count) unknown item(s): \(unknown.joined(separator: ", "))") }
                    bags.append(keys.compactMap { index[$0] }); shown.append(items)
                }
                guard !bags.isEmpty else { throw ValidationError("give --text or --items") }
                let p = classifier.probabilities(Bags(bags))
                for (row, label) in shown.enumerated() {
                    switch classifier.config.head {
                    case .binary:
                        let call = p[row, 0] >= classifier.config.threshold ? classifier.config.labels[1] : classifier.config.labels[0]
                        print(String(format: "%.4f  %@  %@", p[row, 0], call, label))
                    case .multiclass, .multilabel:
                        let top = (0..<p.lastDimension).sorted { p[row, $0] > p[row, $1] }.prefix(3)
                        print(top.map { String(format: "%@ %.3f", classifier.config.labels[$0], p[row, $0]) }.joined(separator: ", ") + "  " + label)
                    }
                }
            }
        }
    }
}
