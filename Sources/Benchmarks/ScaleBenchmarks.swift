import Archive
import Autograd
import Datasets
import Dispatch
import Downstream
import Evaluation
import Foundation
import Pretraining

/// BENCHMARKS.md W7: the same methods on the seeded synthetic log at size
/// S, M or L: reading the log, item2vec (W2's settings), BPR (W1's width),
/// the next-item GRU with the popularity-sampled softmax, the archive of
/// the catalogue at width 128, the peak memory of next-item training
/// against its parameters plus Adam's state, and the growth of an epoch's
/// seconds with the data (one epoch on the first quarter, half and all of
/// the users, fitted by a line).
public enum ScaleBenchmarks {
    /// W7's sizes.
    public enum Size: String, CaseIterable, Sendable {
        case S, M, L

        /// The synthetic log of this size (seed 7).
        public var log: SyntheticLogConfig {
            var c = SyntheticLogConfig()
            switch self {
            case .S: (c.users, c.items, c.events) = (50_000, 100_000, 1_000_000)
            case .M: (c.users, c.items, c.events) = (200_000, 1_000_000, 10_000_000)
            case .L: (c.users, c.items, c.events) = (500_000, 1_000_000, 50_000_000)
            }
            return c
        }
    }

    /// Users whose targets the quality figures rank (a seeded sample; each
    /// against the full catalogue): evaluation time stays bounded at a
    /// million items, and the figures' standard error near 0.007.
    public static let evaluatedUsers = 5_000

    /// Negatives per batch of the next-item run (`--loss popular`).
    public static let negatives = 200

    /// Runs W7 at `size` on its synthetic log, written once into `cache`
    /// (`log`: another interactions file instead; `quick`: a 400-user log in
    /// a temporary folder, for the tests). `epochs` overrides the single
    /// epoch each method trains.
    public static func run(size: Size, quick: Bool, threads: Int = 2, epochs: Int? = nil, cache: DataCache = .defaultCache(),
                           log: String? = nil) throws -> [BenchmarkResult] {
        MathThreads.setBLASThreads(threads)
        defer { MathThreads.setBLASThreads(1) }
        var config = size.log
        if quick { (config.users, config.items, config.events) = (400, 3_000, 12_000) }
        let label = log.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "W7 \(quick ? "quick" : size.rawValue)"
        var results: [BenchmarkResult] = []
        let path = try log ?? generated(config, quick: quick, cache: cache, results: &results, label: label)
        defer { if quick && log == nil { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) } }

        var base = MemoryProbe.resetPeak()
        var start = DispatchTime.now().uptimeNanoseconds
        let data = try DataSource(path).interactions().data
        let readSeconds = seconds(since: start)
        results.append(BenchmarkResult(name: "\(label) read \(data.count) events (peak +\(megabytes(MemoryProbe.peak() - base)))",
                                       secondsPerCall: readSeconds, throughput: Double(data.count) / readSeconds, unit: "events/s"))
        let split = try LeaveLastOutSplit(checking: data)
        let evaluated = sampledTargets(split, users: evaluatedUsers, seed: 0)
        let epochCount = epochs ?? 1

        var skipGram = SkipGramConfig.w2
        skipGram.threads = threads; skipGram.epochs = epochCount
        let corpus = Corpora.userSequences(split, items: data.itemVocabulary)
        let (trainer, skipGramSeconds, tokenRate) = WorkloadBenchmarks.skipGram(corpus, skipGram)
        let neighbours = NearestNeighbourEvaluation.evaluate(try KeyedEmbeddings(keys: corpus.keys, vectors: trainer.input), split: evaluated,
                                                             items: data.itemVocabulary)
        results.append(BenchmarkResult(name: "\(label) item2vec (W2 settings, \(epochCount) epoch(s), \(threads) threads)",
                                       secondsPerCall: skipGramSeconds, throughput: tokenRate, unit: "tokens/s",
                                       quality: ["test_hr@10": neighbours.hitRate, "test_ndcg@10": neighbours.ndcg,
                                                 "units_per_epoch": Double(corpus.tokenCount)]))

        var rng = SeededGenerator(seed: 0)
        let mf = MatrixFactorization(userCount: data.userCount, itemCount: data.itemCount, dimension: 64, std: ImplicitRunConfig().initialStd,
                                     globalMean: 0, rng: &rng)
        var bpr = ImplicitRunConfig().training
        bpr.epochs = epochCount
        start = DispatchTime.now().uptimeNanoseconds
        let bprEpochs = try ImplicitTrainer.train(mf, positives: split.train, itemCount: data.itemCount, config: bpr,
                                                  regularizer: Regularizers.l2(ImplicitRunConfig().l2))
        let bprSeconds = seconds(since: start)
        let ranked = mf.rankTargets(split: evaluated, target: .test)
        results.append(BenchmarkResult(name: "\(label) BPR (dim 64, \(epochCount) epoch(s))", secondsPerCall: bprSeconds,
                                       throughput: Statistics.overallRate(bprEpochs.map { ($0.examplesPerSecond, $0.seconds) }), unit: "examples/s",
                                       quality: ["test_hr@10": ranked.hitRate, "test_ndcg@10": ranked.ndcg,
                                                 "units_per_epoch": Double(split.train.reduce(0) { $0 + $1.count })]))

        base = MemoryProbe.resetPeak()
        let next = try nextItem(NextItemData(split: evaluated, items: data.itemVocabulary, maxLength: 50), epochs: epochCount)
        let processPeak = MemoryProbe.peak(), peak = processPeak - base
        let state = next.model.parameters.reduce(0) { $0 + $1.value.count } * 4 * 3  // weights, Adam's two moments
        results.append(BenchmarkResult(
            name: "\(label) next-item gru, popular sampled softmax (\(negatives)), \(epochCount) epoch(s) (peak +\(megabytes(peak)) = \(String(format: "%.2f", Double(peak) / Double(state)))x weights + Adam's \(megabytes(state)); process peak \(megabytes(processPeak)) with the log)",
            secondsPerCall: next.seconds, throughput: next.positionsPerSecond, unit: "positions/s",
            quality: ["test_hr@10": next.test.hitRate, "test_ndcg@10": next.test.ndcg, "peak_over_state": Double(peak) / Double(state),
                      "units_per_epoch": Double(NextItemData(split: split, items: data.itemVocabulary, maxLength: 50).trainingPositionsPerEpoch)]))

        results.append(try growth(split, items: data.itemVocabulary, label: label))
        results += try ArchiveBenchmarks.run(quick: false, rows: data.itemCount, dimension: 128, compressions: [.none])
        return results
    }

    /// The log `config` describes, written once into the cache (a temporary folder when `quick`), its writing timed.
    static func generated(_ config: SyntheticLogConfig, quick: Bool, cache: DataCache, results: inout [BenchmarkResult],
                          label: String) throws -> String {
        let folder = quick ? NSTemporaryDirectory() + "warmstart-w7-\(ProcessInfo.processInfo.processIdentifier)" : cache.path("w7")
        let path = folder + "/w7-\(config.users)u-\(config.items)i-\(config.events)e-seed\(config.seed).inter"
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let start = DispatchTime.now().uptimeNanoseconds
        let events = try SyntheticLog.write(config, to: path)
        let elapsed = seconds(since: start)
        results.append(BenchmarkResult(name: "\(label) generate \(events) events", secondsPerCall: elapsed,
                                       throughput: Double(events) / elapsed, unit: "events/s"))
        return path
    }

    /// `split` with the validation and test targets of at most `users` users
    /// (a seeded sample) and none for the rest; training parts unchanged.
    public static func sampledTargets(_ split: LeaveLastOutSplit, users: Int, seed: UInt64) -> LeaveLastOutSplit {
        var withTargets = split.test.indices.filter { split.test[$0] != nil }
        guard withTargets.count > users else { return split }
        var rng = SeededGenerator(seed: seed)
        IndexSplit.shuffle(&withTargets, &rng)
        var kept = split
        kept.validation = Array(repeating: nil, count: split.validation.count)
        kept.test = Array(repeating: nil, count: split.test.count)
        for user in withTargets.prefix(users) { kept.validation[user] = split.validation[user]; kept.test[user] = split.test[user] }
        return kept
    }

    /// One next-item run of W7's model: the GRU with the popularity-sampled softmax, validation at the end only.
    static func nextItem(_ data: NextItemData, epochs: Int) throws -> NextItemRunResult {
        var config = NextItemRunConfig()
        config.training.loss = .popularitySampled(negatives: negatives)
        config.training.epochs = epochs
        config.training.evaluateEvery = epochs
        return try NextItemRunner.run(data, archive: nil, config: config)
    }

    /// Seconds of one next-item epoch on the first quarter, half and all of
    /// the users, against the positions each trains on, fitted by a line:
    /// its slope is the cost of a position, and linear growth shows as
    /// the same cost per position at every size.
    static func growth(_ split: LeaveLastOutSplit, items: Vocabulary, label: String) throws -> BenchmarkResult {
        var points: [(positions: Double, seconds: Double)] = []
        for share in [4, 2, 1] {
            let users = split.train.count / share
            var part = split
            part.train = Array(split.train.prefix(users)); part.trainTimestamps = Array(split.trainTimestamps.prefix(users))
            part.trainRatings = Array(split.trainRatings.prefix(users))
            part.validation = Array(repeating: nil, count: users); part.test = Array(repeating: nil, count: users)
            if let first = split.test.indices.first(where: { $0 < users && split.test[$0] != nil }) {
                part.validation[first] = split.validation[first]; part.test[first] = split.test[first]  // one target: the run needs one
            }
            let data = NextItemData(split: part, items: items, maxLength: 50)
            let run = try nextItem(data, epochs: 1)
            points.append((Double(data.trainingPositionsPerEpoch), run.epochs.compactMap(\.seconds).reduce(0, +)))
        }
        let fit = linearFit(points)
        let costs = points.map { $0.seconds / $0.positions * 1e6 }
        return BenchmarkResult(
            name: "\(label) next-item epoch seconds against positions (quarter, half, all users): " +
                String(format: "%.2f s per million positions + %.2f s; per position %@ µs", fit.slope * 1e6, fit.intercept,
                       costs.map { String(format: "%.2f", $0) }.joined(separator: " / ")),
            secondsPerCall: points.last!.seconds, throughput: points.last!.positions / points.last!.seconds, unit: "positions/s",
            quality: ["seconds_per_million_positions": fit.slope * 1e6, "intercept_seconds": fit.intercept,
                      "cost_ratio_all_to_quarter": costs[2] / costs[0]])
    }

    /// The least-squares line through `points`: y = slope · x + intercept.
    public static func linearFit(_ points: [(Double, Double)]) -> (slope: Double, intercept: Double) {
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.0 } / n, my = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }, sxy = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let slope = sxx > 0 ? sxy / sxx : 0
        return (slope, my - slope * mx)
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1e6) }
}
