import Archive
import ArgumentParser
import Datasets
import Downstream
import Foundation
import Reports
import Pretraining
import SparkEngine

/// `warmstart pretrain`: learn embeddings and write them as a `.warm` archive.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Learn embeddings (training split only) and write a .warm archive.",
        subcommands: [PretrainItem2Vec.self, PretrainSessions.self, PretrainWalks.self, PretrainWord2Vec.self, PretrainMF.self, PretrainALS.self])
}

/// Skip-gram settings on the command line; a setting left out keeps the
/// command's workload default (items: BENCHMARKS.md W2, text: W3).
struct SkipGramOptions: ParsableArguments {
    @Option(help: "Vector width (items 64, text 100).") var dim: Int?
    @Option(help: "Context window (5).") var window: Int?
    @Option(help: "Negative samples per pair (5).") var negatives: Int?
    @Option(help: "Subsampling threshold, 0 = off (items 0, text 0.001).") var subsample: Double?
    @Option(help: "Drop keys seen fewer times (items 1, text 5).") var minCount: Int?
    @Option(help: "Passes over the data (items 20, text 5).") var epochs: Int?
    @Option(help: "Worker threads, 1 = exactly repeatable (2).") var threads: Int?
    @Option(help: "Seed (1).") var seed: UInt64?
    @Option(help: "Starting learning rate, falling linearly to 0.0001 (0.025).") var learningRate: Float?

    /// `base` with the settings given on the command line.
    func config(_ base: SkipGramConfig) -> SkipGramConfig {
        var c = base
        c.dimension = dim ?? c.dimension; c.window = window ?? c.window; c.negatives = negatives ?? c.negatives
        c.subsample = subsample ?? c.subsample; c.minimumCount = minCount ?? c.minimumCount; c.epochs = epochs ?? c.epochs
        c.threads = threads ?? c.threads; c.seed = seed ?? c.seed; c.startLearningRate = learningRate ?? c.startLearningRate
        return c
    }
}

/// Output options shared by the pretraining commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "The archive to write.") var out: String
    @Flag(help: "Print a JSON summary on standard output.") var json = false

    /// Writes `contents` to `out` and prints `metrics` (and, as text, a few
    /// keys' neighbours titled from `catalog`).
    func write(_ contents: ArchiveContents, metrics: [String: JSONValue], catalog: ItemCatalog?) throws {
        try WarmArchive.write(contents, to: out)
        IntrinsicReport.print(embeddings: try KeyedEmbeddings(contents), catalog: catalog, metrics: metrics, json: json, out: out)
    }
}

/// Trains skip-gram on the item sentences `sentences` describes, evaluates, and writes the archive.
func runItemSkipGram(_ sentences: ItemSentences, source: DataOptions, config: SkipGramConfig, output: OutputOptions) throws {
    let loaded = try source.interactions()
    let result = try SkipGramRunner.runItems(loaded.data, sentences: sentences, config: config, categories: loaded.catalog?.categories,
                                             note: ProgressReporter.note, progress: ProgressReporter(total: config.epochs, unit: "tokens").epoch)
    try output.write(result.archive(data: loaded.provenance(split: "leave-last-out train")), metrics: result.metrics, catalog: loaded.catalog)
}

struct PretrainItem2Vec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "item2vec",
        abstract: "Skip-gram with negative sampling over each user's training sequence (W2).")
    @OptionGroup var source: DataOptions
    @OptionGroup var skipGram: SkipGramOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var engine: EngineOptions

    func run() throws {
        try reportingErrors {
            if engine.engine == .spark { return try engine.run(.word2vec(.item2vec, source.source, config: skipGram.config(.w2)), output: output) }
            try runItemSkipGram(.userSequences, source: source, config: skipGram.config(.w2), output: output)
        }
    }
}

/// Where a session's extra negatives come from.
enum MarketChoice: String, ExpressibleByArgument {
    case genre, none
}

struct PretrainSessions: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions",
        abstract: "Airbnb-style session embeddings: sessions cut at a time gap, conversions as global context, optional market negatives.")
    @OptionGroup var source: DataOptions
    @OptionGroup var skipGram: SkipGramOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Cut a session at gaps longer than this many seconds.") var gap: Double = 1800
    @Option(help: "A session's conversion: its last item rated at least this (0: no conversions).") var conversionRating: Float = 5
    @Option(help: "Market of an item for extra same-market negatives: genre, or none (MovieLens has no market column).") var market = MarketChoice.none
    @OptionGroup var engine: EngineOptions

    func run() throws {
        try reportingErrors {
            if engine.engine == .spark {
                return try engine.run(.word2vec(.sessions, source.source, config: skipGram.config(.w2), gap: gap), output: output)
            }
            try runItemSkipGram(.sessions(gap: gap, conversionRating: conversionRating > 0 ? conversionRating : nil, marketByGenre: market == .genre),
                                source: source, config: skipGram.config(.w2), output: output)
        }
    }
}

struct PretrainWalks: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "walks",
        abstract: "Random walks over the item transition graph (DeepWalk, or node2vec with --p/--q), then skip-gram.")
    @OptionGroup var source: DataOptions
    @OptionGroup var skipGram: SkipGramOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Walks started from each node.") var walksPerNode = 10
    @Option(help: "Nodes per walk.") var walkLength = 20
    @Option(help: "node2vec return parameter.") var p = 1.0
    @Option(help: "node2vec in-out parameter.") var q = 1.0

    func run() throws {
        try reportingErrors {
            let walker = RandomWalks(walksPerNode: walksPerNode, walkLength: walkLength, p: p, q: q, seed: skipGram.seed ?? 1)
            try runItemSkipGram(.walks(walker), source: source, config: skipGram.config(.w2), output: output)
        }
    }
}

struct PretrainWord2Vec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "word2vec",
        abstract: "Skip-gram word vectors from plain text (W3 on kjv; the unlabelled SMS texts for the spam detector).")
    @OptionGroup var source: DataOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var skipGram: SkipGramOptions
    @Option(parsing: .upToNextOption, help: "More text to add to the corpus (kjv, or files).") var addText: [String] = []
    @Flag(help: "--data is a labelled file (label<TAB>text): train on the texts of its classification training part only (the split classify and reuse use).") var labelled = false
    @Option(help: "With --labelled: the split's seed (classify's --split-seed).") var splitSeed: UInt64 = 0

    func run() throws {
        try reportingErrors {
            var data = source.source
            if labelled { data.labelledSplitSeed = splitSeed }
            let text = try DataSource.textLines([data] + addText.map { DataSource($0, cache: source.cache) })
            let config = skipGram.config(.w3)
            let (result, archive) = try SkipGramRunner.runWord2Vec(lines: text.lines, name: text.name, fingerprint: text.fingerprint, config: config,
                                                                   note: ProgressReporter.note,
                                                                   progress: ProgressReporter(total: config.epochs, unit: "words").epoch)
            try output.write(archive, metrics: result.metrics, catalog: nil)
        }
    }
}
