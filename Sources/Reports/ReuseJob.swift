import Archive
import Datasets
import Downstream
import Foundation

/// The tasks `warmstart reuse` runs: on the public data, or on yours.
public enum ReuseTaskName: String, CaseIterable, Sendable {
    /// SMS spam (W4).
    case spam
    /// Your labelled texts (`ReuseJobConfig.task.file`).
    case text
    /// Your labelled item bags (`ReuseJobConfig.task.file`).
    case items
    /// Fake-profile detection on ml-100k.
    case shilling
    /// Genre tagging of ml-100k items (a linear probe).
    case genres
    /// Next-item GRU (W5 model) on ml-100k, or on your log (`ReuseJobConfig.interactions`).
    case nextitem
}

/// Settings of a reuse job beyond its grid's cells.
public struct ReuseJobConfig: Sendable {
    /// Classifier cells: minimum optimizer steps.
    public var minimumSteps = 550
    /// Classifier cells: epochs without a better validation figure before stopping.
    public var patience = 5
    /// Next-item cells: epochs at most (evaluated every 5, patience 2).
    public var nextItemEpochs = 20
    /// The classification tasks' options: your file (and test and validation files) for text and items, the public data's cache.
    public var task = ClassificationTaskName.Options()
    /// Next-item: your interaction log (nil: ml-100k).
    public var interactions: DataSource?
    /// Where the public data is cached.
    public var cache: DataCache {
        get { task.cache }
        set { task.cache = newValue }
    }
    /// How pretrained rows are scaled in every warm-started cell (nil: each runner's default).
    public var rescale: RescalePolicy?

    /// Defaults: the demo's grids.
    public init() {}
}

/// A task ready for the grid, with what the report says about it.
public struct PreparedReuseTask {
    /// The task and its runner configuration.
    public var task: ReuseTask
    /// The metric the report leads with.
    public var headline: String
    /// The task, split and protocol in one paragraph.
    public var description: String
    /// The task's keys (for the archives' coverage).
    public var keys: [String]
    /// ml-100k's item catalogue for the item tasks.
    public var catalog: ItemCatalog?
}

extension ReuseTaskName {
    /// The task over the public data, its models `width` wide (the archives' width, so the random arm is the same model).
    public func prepare(width: Int, config job: ReuseJobConfig) throws -> PreparedReuseTask {
        var config = ClassificationRunConfig()
        config.dimension = width
        config.rescale = job.rescale ?? config.rescale
        config.training.minimumSteps = job.minimumSteps
        config.training.patience = job.patience
        let options = job.task
        switch self {
        case .spam:
            let t = try ClassificationTaskName.spam.make(options).task
            return PreparedReuseTask(task: .classification(t, config), headline: "f1",
                description: "SMS spam (W4): \(t.split); vocabulary from the training part. Headline: spam F1 at the threshold chosen on validation.",
                keys: t.keys, catalog: nil)
        case .text, .items:
            let made = try (self == .text ? ClassificationTaskName.text : .items).make(options)
            return PreparedReuseTask(task: .classification(made.task, config), headline: "f1",
                description: "\(made.task.name): binary classification of '\(options.positiveLabel)'; \(made.task.split); vocabulary from the training part. Headline: F1 of '\(options.positiveLabel)' at the threshold chosen on validation.",
                keys: made.task.keys, catalog: nil)
        case .shilling:
            let (t, _, note) = try ClassificationTaskName.shilling.make(options)
            return PreparedReuseTask(task: .classification(t, config), headline: "f1",
                description: "Shilling detection on ml-100k (\(note ?? "")): 5% fake profiles (random, average and bandwagon attacks; fillers 5% of items) among the genuine users' training profiles; \(t.split).",
                keys: t.keys, catalog: try ItemCatalog.readRecBole(path: job.cache.path("ml-100k/ml-100k.item")))
        case .genres:
            config.hidden = []
            config.training.learningRate = 0.01
            let t = try ClassificationTaskName.genres.make(options).task
            return PreparedReuseTask(task: .classification(t, config), headline: "mean_roc_auc",
                description: "Genre tagging on ml-100k: a linear probe (Adam, lr 0.01) predicts an item's genres from its embedding; \(t.split). The random start is a trainable random table: test items are never seen in training, so it shows chance.",
                keys: t.keys, catalog: try ItemCatalog.readRecBole(path: job.cache.path("ml-100k/ml-100k.item")))
        case .nextitem:
            let loaded = try (job.interactions ?? DataSource("ml-100k", cache: job.cache)).interactions()
            let next = NextItemData(split: try LeaveLastOutSplit(checking: loaded.data), items: loaded.data.itemVocabulary, maxLength: 50)
            var config = NextItemRunConfig()
            config.dimension = width
            config.rescale = job.rescale ?? config.rescale
            config.training.epochs = job.nextItemEpochs; config.training.evaluateEvery = 5; config.training.patience = 2
            return PreparedReuseTask(task: .nextItem(next, config), headline: "ndcg@10",
                description: "Next-item GRU (W5 model) on \(loaded.name), leave-last-out; \(job.nextItemEpochs) epochs at most, early stop on validation NDCG@10; label share = share of training users; test NDCG@10 over the full catalogue, seen items excluded.",
                keys: next.keys, catalog: loaded.catalog)
        }
    }
}

/// The whole `warmstart reuse` job: the grid over `archives`, resumed from
/// and saved to `folder/results.json` after every run, with the report
/// (Markdown, HTML, SVG) written to `folder`.
public enum ReuseJob {
    /// Runs `grid` on `name`'s task and writes the report; returns it.
    public static func run(_ name: ReuseTaskName, grid: ReuseGrid, config: ReuseJobConfig, folder: String,
                           log: (String) -> Void) throws -> ReuseReport {
        let widths = Set(grid.archives.map { $0.embeddings.dimension })
        if widths.count > 1 { log("archives of widths \(widths.sorted()): the random arm uses \(widths.min()!)") }
        let prepared = try name.prepare(width: widths.min() ?? 64, config: config)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/results.json"
        var results = try ReuseResults.load(path: path)
            ?? ReuseResults(task: name.rawValue, headline: prepared.headline, description: prepared.description, runs: [], probes: [])
        results.probes = ArchiveProbes.probe(grid.archives, taskKeys: prepared.keys, categories: prepared.catalog?.categories)
        log("reuse \(name.rawValue): \(grid.archives.count) archive(s) x \(grid.starts.count) starts + random, \(grid.fractions.count) label shares, \(grid.seeds.count) seeds")
        try grid.run(prepared.task, into: &results, savingTo: path, log: log)
        let report = ReuseReport(results)
        let map = prepared.catalog.flatMap { c -> (svg: String, caption: String)? in
            guard let first = grid.archives.first else { return nil }
            return (ReuseReport.embeddingMap(first.embeddings, categories: c.categories, titles: c.titles, name: first.name),
                    "\(first.name) item embeddings, PCA, coloured by genre")
        }
        try report.write(to: folder, map: map)
        return report
    }
}
