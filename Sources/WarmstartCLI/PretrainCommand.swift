import Archive
import ArgumentParser
import Datasets
import Foundation
import Pretraining

/// `warmstart pretrain`: learn embeddings and write them as a `.warm` archive.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Learn embeddings (training split only) and write a .warm archive.",
        subcommands: [PretrainItem2Vec.self, PretrainSessions.self, PretrainWalks.self, PretrainWord2Vec.self, PretrainMF.self])
}

/// Skip-gram settings on the command line (defaults: BENCHMARKS.md W2).
struct SkipGramOptions: ParsableArguments {
    @Option(help: "Vector width.") var dim = 64
    @Option(help: "Context window.") var window = 5
    @Option(help: "Negative samples per pair.") var negatives = 5
    @Option(help: "Subsampling threshold (0 = off).") var subsample = 0.0
    @Option(help: "Drop keys seen fewer times.") var minCount = 1
    @Option(help: "Passes over the data.") var epochs = 20
    @Option(help: "Worker threads (1 = exactly repeatable).") var threads = 2
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Starting learning rate (falls linearly to 0.0001).") var learningRate: Float = 0.025

    var config: SkipGramConfig {
        var c = SkipGramConfig()
        c.dimension = dim; c.window = window; c.negatives = negatives; c.subsample = subsample; c.minimumCount = minCount
        c.epochs = epochs; c.threads = threads; c.seed = seed; c.startLearningRate = learningRate
        return c
    }
}

/// Output options shared by the pretraining commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "The archive to write.") var out: String
    @Flag(help: "Print a JSON summary on standard output.") var json = false
}

/// Trains skip-gram on item sentences, evaluates, and writes the archive.
func runItemSkipGram(corpus: SkipGramCorpus, config: SkipGramConfig, method: String, extra: [String: JSONValue] = [:],
                     markets: [Int32]? = nil, loaded: (data: Interactions, catalog: ItemCatalog?, name: String, fingerprint: String),
                     split: LeaveLastOutSplit, output: OutputOptions) throws {
    ProgressReporter.note("\(method): \(corpus.sentenceCount) sentences, \(corpus.tokenCount) tokens, \(corpus.keys.count) items, dim \(config.dimension), \(config.threads) thread(s), seed \(config.seed)")
    let progress = ProgressReporter(total: config.epochs, unit: "tokens")
    let result = try SkipGramRunner.runItems(corpus, config: config, markets: markets, split: split, items: loaded.data.itemVocabulary,
                                             categories: loaded.catalog?.categories) {
        progress.epoch($0.epoch, loss: $0.loss, amount: $0.tokens, seconds: $0.seconds)
    }
    let provenance = ArchiveManifest.DataProvenance(name: loaded.name, fingerprint: loaded.fingerprint, split: "leave-last-out train")
    let contents = EmbeddingArchiveBuilder.skipGram(result.trainer, corpus: corpus, method: method, extraHyperparameters: extra,
                                                    data: provenance, metrics: .object(result.metrics), toolVersion: WarmstartVersion.string)
    try WarmArchive.write(contents, to: output.out)
    IntrinsicReport.print(embeddings: result.embeddings, catalog: loaded.catalog, metrics: result.metrics, json: output.json, out: output.out)
}

/// Prints the end-of-run checks: metrics, and neighbours of popular items with titles.
enum IntrinsicReport {
    /// Metrics as sorted lines, or one JSON object.
    static func printMetrics(_ metrics: [String: JSONValue], json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Swift.print(String(decoding: (try? encoder.encode(JSONValue.object(metrics))) ?? Data(), as: UTF8.self))
        } else {
            for key in metrics.keys.sorted() { Swift.print("\(key): \(metrics[key]!)") }
        }
    }

    static func print(embeddings: KeyedEmbeddings, catalog: ItemCatalog?, metrics: [String: JSONValue], json: Bool, out: String) {
        var summary = metrics
        summary["archive"] = .string(out)
        printMetrics(summary, json: json)
        if json { return }
        let title = { (k: String) in catalog?.titles[k].map { "\($0) (\(k))" } ?? k }
        for key in embeddings.keys.prefix(3) {
            let neighbours = embeddings.nearest(to: key, k: 5) ?? []
            Swift.print("nearest to \(title(key)): " + neighbours.map { title($0.key) }.joined(separator: "; "))
        }
        Swift.print("wrote \(out)")
    }
}

struct PretrainItem2Vec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "item2vec",
        abstract: "Skip-gram with negative sampling over each user's training sequence (W2).")
    @OptionGroup var source: DataOptions
    @OptionGroup var skipGram: SkipGramOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let loaded = try source.interactions()
            let split = try LeaveLastOutSplit(checking: loaded.data)
            let corpus = Corpora.userSequences(split, items: loaded.data.itemVocabulary, minimumCount: skipGram.minCount)
            try runItemSkipGram(corpus: corpus, config: skipGram.config, method: "item2vec", loaded: loaded, split: split, output: output)
        }
    }
}

struct PretrainSessions: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions",
        abstract: "Airbnb-style session embeddings: sessions cut at a time gap, conversions as global context, optional market negatives.")
    @OptionGroup var source: DataOptions
    @OptionGroup var skipGram: SkipGramOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Cut a session at gaps longer than this many seconds.") var gap: Double = 1800
    @Option(help: "A session's conversion: its last item rated at least this (0: no conversions).") var conversionRating: Float = 5
    @Option(help: "Market of an item for extra same-market negatives: genre, or none (MovieLens has no market column).") var market = "none"

    func run() throws {
        try reportingErrors {
            let loaded = try source.interactions()
            let split = try LeaveLastOutSplit(checking: loaded.data)
            let sessions = SequenceBuilder.sessions(split, maximumGap: gap, conversionMinimumRating: conversionRating > 0 ? conversionRating : nil)
            let corpus = Corpora.sessions(sessions, items: loaded.data.itemVocabulary, minimumCount: skipGram.minCount)
            var markets: [Int32]?
            if market == "genre" {
                guard let catalog = loaded.catalog else { throw ValidationError("--market genre needs an item file with genres") }
                markets = Corpora.markets(for: corpus, categories: catalog.categories)
            } else if market != "none" {
                throw ValidationError("--market is genre or none")
            }
            let converted = corpus.globalContext?.filter { $0 >= 0 }.count ?? 0
            ProgressReporter.note("sessions: \(sessions.count) (gap \(Int(gap)) s), \(converted) with a conversion, market: \(market)")
            try runItemSkipGram(corpus: corpus, config: skipGram.config, method: "sessions",
                                extra: ["session_gap_seconds": .number(gap), "conversion_min_rating": conversionRating > 0 ? .number(Double(conversionRating)) : .null,
                                        "market": .string(market)],
                                markets: markets, loaded: loaded, split: split, output: output)
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
            let loaded = try source.interactions()
            let split = try LeaveLastOutSplit(checking: loaded.data)
            let graph = TransitionGraph(sequences: split.train, nodeCount: loaded.data.itemCount)
            var walker = RandomWalks()
            walker.walksPerNode = walksPerNode; walker.walkLength = walkLength; walker.p = p; walker.q = q; walker.seed = skipGram.seed
            let walks = walker.walks(on: graph)
            let items = loaded.data.itemVocabulary
            let corpus = SkipGramCorpus(sentences: walks.map { $0.map { items.key(at: $0) } }, minimumCount: skipGram.minCount)
            ProgressReporter.note("graph: \(graph.nodeCount) nodes, \(graph.edgeCount) edges; \(walks.count) walks of up to \(walkLength)")
            try runItemSkipGram(corpus: corpus, config: skipGram.config, method: "walks",
                                extra: ["walks_per_node": .number(Double(walksPerNode)), "walk_length": .number(Double(walkLength)),
                                        "p": .number(p), "q": .number(q)],
                                loaded: loaded, split: split, output: output)
        }
    }
}

struct PretrainWord2Vec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "word2vec",
        abstract: "Skip-gram word vectors from plain text (W3 on kjv; the unlabelled SMS texts for the spam detector).")
    @OptionGroup var source: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Vector width.") var dim = 100
    @Option(help: "Context window.") var window = 5
    @Option(help: "Negative samples per pair.") var negatives = 5
    @Option(help: "Subsampling threshold (0 = off).") var subsample = 1e-3
    @Option(help: "Drop words seen fewer times.") var minCount = 5
    @Option(help: "Passes over the text.") var epochs = 5
    @Option(help: "Worker threads (1 = exactly repeatable).") var threads = 2
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(parsing: .upToNextOption, help: "More text to add to the corpus (kjv, or files).") var addText: [String] = []

    func run() throws {
        try reportingErrors {
            var (lines, name, fingerprint) = try source.textLines()
            for extra in addText {
                var other = source
                other.data = extra
                let more = try other.textLines()
                lines += more.lines
                name += " + " + more.name
                fingerprint += "+" + more.fingerprint
            }
            var config = SkipGramConfig.w3
            config.dimension = dim; config.window = window; config.negatives = negatives; config.subsample = subsample
            config.minimumCount = minCount; config.epochs = epochs; config.threads = threads; config.seed = seed
            let corpus = Corpora.text(lines, minimumCount: minCount)
            ProgressReporter.note("word2vec: \(lines.count) lines, \(corpus.tokenCount) words, \(corpus.keys.count) kept (min count \(minCount)), dim \(dim), \(threads) thread(s), seed \(seed)")
            let progress = ProgressReporter(total: epochs, unit: "words")
            let result = try SkipGramRunner.runText(corpus, config: config) {
                progress.epoch($0.epoch, loss: $0.loss, amount: $0.tokens, seconds: $0.seconds)
            }
            let provenance = ArchiveManifest.DataProvenance(name: name, fingerprint: fingerprint, split: "all text (unlabelled)")
            try WarmArchive.write(EmbeddingArchiveBuilder.skipGram(result.trainer, corpus: corpus, method: "word2vec", data: provenance,
                                                                   toolVersion: WarmstartVersion.string), to: output.out)
            IntrinsicReport.print(embeddings: result.embeddings, catalog: nil, metrics: result.metrics, json: output.json, out: output.out)
        }
    }
}

/// Runs `body`, printing dataset and archive errors as one line and exiting with status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    try reportingDatasetErrors { try reportingArchiveErrors(body) }
}
