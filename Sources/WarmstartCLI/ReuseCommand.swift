import Archive
import ArgumentParser
import Datasets
import Downstream
import Foundation
import Reports

/// `warmstart reuse`: do pretrained embeddings help this task, and how much?
struct ReuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reuse",
        abstract: "Run the reuse grid (archive x start x label share x seed) and write a report (Markdown, HTML, SVG).",
        discussion: """
        Every cell trains to a validation-based stop (at least --min-steps optimizer steps, then --patience epochs
        without a better validation figure; the best weights are kept), with the binary threshold chosen on validation
        data. Results go to OUT/results.json after every run; rerunning the same command resumes an interrupted grid.
        """)

    @Option(help: "spam, shilling, genres or nextitem.") var task = "spam"
    @Option(parsing: .upToNextOption, help: "Archives (files or store NAME[@VERSION]).") var archives: [String]
    @Option(help: "Shares of the training labels, comma-separated.") var fractions = "0.01,0.05,0.1,0.25,0.5,1"
    @Option(help: "Number of seeds (0, 1, …).") var seeds = 3
    @Option(help: "Pretrained starts, comma-separated.") var starts = "frozen,finetuned,finetuned-slow"
    @Option(help: "Classifier: minimum optimizer steps per cell.") var minSteps = 550
    @Option(help: "Classifier: epochs without a better validation figure before stopping.") var patience = 5
    @Option(help: "Next-item: epochs per cell (evaluated every 5).") var epochs = 20
    @Option(help: "Report folder.") var out: String
    @Option(help: "Cache folder of the public data.") var dataDir: String?
    @OptionGroup var location: StoreLocation

    func run() throws {
        try reportingErrors {
            let cache = dataDir.map(DataCache.init(root:)) ?? .defaultCache()
            let loaded = try archives.map { name -> (name: String, embeddings: KeyedEmbeddings, method: String) in
                let contents = try WarmArchive.read(path: try location.archivePath(name))
                let short = FileManager.default.fileExists(atPath: name) ? ((name as NSString).lastPathComponent as NSString).deletingPathExtension : name
                return (short, try KeyedEmbeddings(contents), contents.manifest.method)
            }
            let shares = fractions.split(separator: ",").compactMap { Double($0) }
            guard !shares.isEmpty, shares.allSatisfy({ $0 > 0 && $0 <= 1 }) else { throw ValidationError("--fractions must be in (0, 1]") }
            var grid = ReuseGrid(archives: loaded, fractions: shares, seeds: (0..<UInt64(max(seeds, 1))).map { $0 })
            grid.starts = try starts.split(separator: ",").map { s in
                guard let m = StartMode(rawValue: String(s)), m != .random else { throw ValidationError("unknown or random start '\(s)'") }
                return m
            }
            // The random arm gets the archives' width, so that it is the same model as the warm-started arms.
            let widths = Set(loaded.map { $0.embeddings.dimension })
            if widths.count > 1 { ProgressReporter.note("archives of widths \(widths.sorted()): the random arm uses \(widths.min()!)") }
            let (reuseTask, headline, description, keys, catalog) = try makeTask(cache: cache, width: widths.min() ?? 64)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let resultsPath = out + "/results.json"
            var results = try ReuseResults.load(path: resultsPath)
                ?? ReuseResults(task: task, headline: headline, description: description, runs: [], probes: [])
            results.probes = ArchiveProbes.probe(loaded, taskKeys: keys, categories: catalog?.categories)
            ProgressReporter.note("reuse \(task): \(loaded.count) archive(s) x \(grid.starts.count) starts + random, \(shares.count) label shares, \(seeds) seeds")
            try grid.run(reuseTask, into: &results, savingTo: resultsPath) { ProgressReporter.note($0) }
            let report = ReuseReport(results)
            let map = catalog.flatMap { c -> (svg: String, caption: String)? in
                guard let first = loaded.first, task != "spam" else { return nil }
                return (ReuseReport.embeddingMap(first.embeddings, categories: c.categories, titles: c.titles, name: first.name),
                        "\(first.name) item embeddings, PCA, coloured by genre")
            }
            try report.write(to: out, map: map)
            print("wrote \(out)/report.md, \(out)/report.html and \(out)/results.json (\(results.runs.count) runs)")
            for m in report.meetingPoints() {
                print("\(m.line): " + (m.fraction.map { "meets random from \(String(format: "%g", $0)) of the labels (about \(m.examples ?? 0) examples)" }
                                       ?? "better than random (p < 0.05) at the largest label share tried"))
            }
        }
    }

    private func makeTask(cache: DataCache, width: Int) throws -> (ReuseTask, String, String, [String], ItemCatalog?) {
        var config = ClassificationRunConfig()
        config.dimension = width
        var options = ClassificationTaskName.Options()
        options.cache = cache
        config.training.minimumSteps = minSteps
        config.training.patience = patience
        switch task {
        case "spam":
            let t = try ClassificationTaskName.spam.make(options).task
            return (.classification(t, config), "f1",
                    "SMS spam (W4): stratified 80/20 split, seed 0; 10% of the training part for validation; vocabulary from the training part. Headline: spam F1 at the threshold chosen on validation.",
                    t.keys, nil)
        case "shilling", "genres":
            let catalog = try ItemCatalog.readRecBole(path: cache.path("ml-100k/ml-100k.item"))
            if task == "shilling" {
                let (t, _, note) = try ClassificationTaskName.shilling.make(options)
                return (.classification(t, config), "f1",
                        "Shilling detection on ml-100k (\(note ?? "")): 5% fake profiles (random, average and bandwagon attacks; fillers 5% of items) among the genuine users' training profiles; users split 80/20, seed 0.",
                        t.keys, catalog)
            }
            config.hidden = []
            config.training.learningRate = 0.01
            let t = try ClassificationTaskName.genres.make(options).task
            return (.classification(t, config), "mean_roc_auc",
                    "Genre tagging on ml-100k: a linear probe (Adam, lr 0.01) predicts an item's genres from its embedding; items split 80/20, seed 0. The random start is a trainable random table: test items are never seen in training, so it shows chance.",
                    t.keys, catalog)
        case "nextitem":
            let (data, catalog) = try PublicDatasets.movieLens100K(cache: cache)
            let next = NextItemData(split: try LeaveLastOutSplit(checking: data), items: data.itemVocabulary, maxLength: 50)
            var config = NextItemRunConfig()
            config.dimension = width
            config.training.epochs = epochs; config.training.evaluateEvery = 5; config.training.patience = 2
            return (.nextItem(next, config), "ndcg@10",
                    "Next-item GRU (W5 model) on ml-100k, leave-last-out; \(epochs) epochs at most, early stop on validation NDCG@10; label share = share of training users; test NDCG@10 over the full catalogue, seen items excluded.",
                    next.keys, catalog)
        default:
            throw ValidationError("--task is spam, shilling, genres or nextitem")
        }
    }
}
