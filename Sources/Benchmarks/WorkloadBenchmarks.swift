import Archive
import Autograd
import Datasets
import Dispatch
import Downstream
import Evaluation
import Foundation
import Layers
import Pretraining

/// BENCHMARKS.md workloads W1–W6 and W8, run exactly as written (or shrunk to a
/// smoke run with `quick`), each printing its quality figure and throughput.
public enum WorkloadBenchmarks {
    /// The workload ids.
    public static let ids = ["W1", "W2", "W3", "W4", "W5", "W6", "W8"]

    /// Runs workload `id` on the data in `cache` with a budget of `threads`
    /// threads: the skip-gram workers (W2, W3), or the tape's worker pool
    /// (products, loss blocks and row-wise kernels; W1, W4, W5, W6), as the references get the same
    /// number of PyTorch threads or gensim workers. `epochs` overrides the
    /// workload's epoch count (to time both sides of a comparison on fewer
    /// epochs). Throughput is the work of every epoch over the whole training
    /// time, the first epoch included, evaluation excluded: the statistic the
    /// references report.
    /// `dataFile` (W2, W5 and W6 only): an interactions file in any format
    /// `DataSource` reads, to run the same model on another catalogue
    /// instead of ml-100k (the references read the file, or its `datasets split`).
    /// `loss` (W5 and W6 only) replaces their full softmax, for the sampled
    /// softmax beside the reference's (`--loss popular`).
    public static func run(_ id: String, quick: Bool, threads: Int = 2, epochs: Int? = nil,
                           cache: DataCache = .defaultCache(), dataFile: String? = nil,
                           loss: NextItemLoss = .fullSoftmax) throws -> BenchmarkResult {
        MathThreads.setBLASThreads(threads)
        defer { MathThreads.setBLASThreads(1) }
        if dataFile != nil && !["W2", "W5", "W6"].contains(id) {
            throw DatasetError.invalidRequest("\(id) runs on its own data; another interactions file is for W2, W5 and W6 only")
        }
        if loss != .fullSoftmax && id != "W5" && id != "W6" {
            throw DatasetError.invalidRequest("\(id) has no next-item loss; --loss is for W5 and W6 only")
        }
        switch id {
        case "W1": return try w1(quick: quick, epochs: epochs, cache: cache)
        case "W2": return try w2(quick: quick, threads: threads, epochs: epochs, data: try w2Data(cache, log: dataFile))
        case "W3": return try w3(quick: quick, threads: threads, epochs: epochs, cache: cache)
        case "W4": return try w4(quick: quick, epochs: epochs, cache: cache)
        case "W5", "W6": return try nextItem(id, quick: quick, epochs: epochs, loss: loss, data: try nextItemData(cache, log: dataFile))
        case "W8": return try w8(quick: quick, threads: threads, epochs: epochs, cache: cache)
        default: throw DatasetError.invalidRequest("unknown workload '\(id)'; known: \(ids.joined(separator: ", "))")
        }
    }

    /// The units one epoch of workload `id` counts (ratings, tokens, words,
    /// messages, positions with a target), from the data built exactly as
    /// the workload builds it: the figure the references' `--count-only`
    /// must match.
    public static func unitsPerEpoch(_ id: String, cache: DataCache = .defaultCache(), dataFile: String? = nil) throws -> Int {
        switch id {
        case "W1": return try w1Data(cache).train.count
        case "W2": return try w2Data(cache, log: dataFile).corpus.tokenCount
        case "W3": return w3Corpus(try PublicDatasets.kjv(cache: cache)).tokenCount
        case "W4": return try w4Task(cache).fit.count
        case "W5", "W6": return try nextItemData(cache, log: dataFile).data.trainingPositionsPerEpoch
        case "W8": return try w8Pairs(cache)
        default: throw DatasetError.invalidRequest("unknown workload '\(id)'; known: \(ids.joined(separator: ", "))")
        }
    }

    static func w1Data(_ cache: DataCache) throws -> (data: Interactions, all: RatingTriples, train: RatingTriples, test: [Int]) {
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        let all = RatingTriples(users: data.users, items: data.items, ratings: data.ratings!)
        let (train, test) = IndexSplit.random(count: all.count, trainFraction: 0.8, seed: 0)
        return (data, all, all.subset(train), test)
    }

    /// W2's data: ml-100k, or the file `log` names; with the name the results carry.
    static func w2Data(_ cache: DataCache, log: String?) throws -> (data: Interactions, split: LeaveLastOutSplit, corpus: SkipGramCorpus, name: String) {
        let data = try interactions(cache, log: log)
        let split = try LeaveLastOutSplit(checking: data.data)
        return (data.data, split, Corpora.userSequences(split, items: data.data.itemVocabulary), data.name)
    }

    /// ml-100k, or the interactions file `log` names, with the name the results carry.
    static func interactions(_ cache: DataCache, log: String?) throws -> (data: Interactions, name: String) {
        let data = if let log { try DataSource(log).interactions().data } else { try PublicDatasets.movieLens100K(cache: cache).0 }
        return (data, log.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "ml-100k")
    }

    static func w3Corpus(_ lines: [String]) -> SkipGramCorpus { Corpora.text(lines, minimumCount: SkipGramConfig.w3.minimumCount) }

    static func w4Task(_ cache: DataCache) throws -> ClassificationTask {
        try ClassificationTask.text(try PublicDatasets.smsSpam(cache: cache), positiveLabel: "spam")
    }

    /// W5/W6's data: ml-100k, or the file `log` names; with the name the results carry.
    static func nextItemData(_ cache: DataCache, log: String?) throws -> (data: NextItemData, name: String) {
        let (data, name) = try interactions(cache, log: log)
        return (NextItemData(split: try LeaveLastOutSplit(checking: data), items: data.itemVocabulary, maxLength: 50), name)
    }


    static func w1(quick: Bool, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        let (data, all, trainSet, test) = try w1Data(cache)
        var rng = SeededGenerator(seed: 0)
        let mf = MatrixFactorization(userCount: data.userCount, itemCount: data.itemCount, dimension: 64, globalMean: trainSet.mean, rng: &rng)
        var config = RatingTrainingConfig()
        config.epochs = epochs ?? (quick ? 1 : 20)
        let start = DispatchTime.now().uptimeNanoseconds
        let reports = try RatingTrainer.train(mf, data: trainSet, config: config, regularizer: Regularizers.l2(1e-4))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return BenchmarkResult(name: "W1 MF explicit (ml-100k ratings 80/20 seed 0, \(config.epochs) epochs)", secondsPerCall: seconds,
                               throughput: Statistics.overallRate(reports.map { ($0.examplesPerSecond, $0.seconds) }), unit: "examples/s",
                               quality: ["test_rmse": RatingTrainer.rootMeanSquaredError(mf, all.subset(test)),
                                         "units_per_epoch": Double(trainSet.count)])
    }

    static func skipGram(_ corpus: SkipGramCorpus, _ config: SkipGramConfig) -> (SkipGramTrainer, Double, Double) {
        let trainer = SkipGramTrainer(config: config, counts: corpus.counts)
        var epochs: [(rate: Double, seconds: Double)] = []
        let start = DispatchTime.now().uptimeNanoseconds
        trainer.train(corpus) { epochs.append((Double($0.tokens) / $0.seconds, $0.seconds)) }
        return (trainer, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, Statistics.overallRate(epochs))
    }

    static func w2(quick: Bool, threads: Int, epochs: Int?,
                   data w2: (data: Interactions, split: LeaveLastOutSplit, corpus: SkipGramCorpus, name: String)) throws -> BenchmarkResult {
        let (data, split, corpus, name) = w2
        var config = SkipGramConfig.w2
        config.threads = threads
        if quick { config.epochs = 1 }
        if let epochs { config.epochs = epochs }
        let (trainer, seconds, rate) = skipGram(corpus, config)
        let report = NearestNeighbourEvaluation.evaluate(try KeyedEmbeddings(keys: corpus.keys, vectors: trainer.input), split: split,
                                                         items: data.itemVocabulary)
        return BenchmarkResult(name: "W2 item2vec (\(name) leave-last-out, \(config.epochs) epochs, \(threads) threads)", secondsPerCall: seconds,
                               throughput: rate, unit: "tokens/s",
                               quality: ["test_hr@10": report.hitRate, "test_ndcg@10": report.ndcg, "units_per_epoch": Double(corpus.tokenCount)])
    }

    static func w3(quick: Bool, threads: Int, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        var lines = try PublicDatasets.kjv(cache: cache)
        if quick { lines = Array(lines.prefix(2000)) }
        var config = SkipGramConfig.w3
        config.threads = threads
        if quick { config.epochs = 1 }
        if let epochs { config.epochs = epochs }
        let corpus = w3Corpus(lines)
        let (_, seconds, rate) = skipGram(corpus, config)
        return BenchmarkResult(name: "W3 word2vec (kjv, \(config.epochs) epochs, \(threads) threads)", secondsPerCall: seconds,
                               throughput: rate, unit: "words/s", quality: ["units_per_epoch": Double(corpus.tokenCount)])
    }

    static func w4(quick: Bool, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        let task = try w4Task(cache)
        var config = ClassificationRunConfig()
        config.training.epochs = epochs ?? (quick ? 1 : 10)
        let result = try ClassificationRunner.run(task, archive: nil, config: config)
        let b = result.binary!
        return BenchmarkResult(name: "W4 spam detector (sms-spam 80/20 seed 0, \(config.training.epochs) epochs, random start)",
                               secondsPerCall: result.seconds, throughput: Statistics.overallRate(result.epochs.map { ($0.examplesPerSecond, $0.seconds) }),
                               unit: "examples/s",
                               quality: ["accuracy": b.accuracy, "spam_f1": b.f1, "roc_auc": b.rocAUC, "units_per_epoch": Double(task.fit.count)])
    }

    static func nextItem(_ id: String, quick: Bool, epochs override: Int?, loss: NextItemLoss,
                         data: (data: NextItemData, name: String)) throws -> BenchmarkResult {
        let next = data.data
        var config = NextItemRunConfig.asWritten(id == "W5" ? .gru : .sasrec)
        if quick { config.training.epochs = 1; config.training.evaluateEvery = 1 }
        if let override { config.training.epochs = override }
        config.training.loss = loss
        let profile = OpProfile()
        let result = try NextItemRunner.run(next, archive: nil, config: config, profile: profile)
        let scoredRows = switch loss {  // rows each position is scored against in training
        case .fullSoftmax: next.rows
        case .sampledSoftmax(let k), .popularitySampled(let k): k + 1
        case .bpr: 2
        }
        let gflops = result.positionsPerSecond * ComputeWork.nextItemFLOPsPerPosition(
            encoder: config.encoder, dimension: config.dimension, rows: scoredRows, maxLength: config.maxLength) / 1e9
        let lossName = loss == .fullSoftmax ? "" : ", \(loss.name)"
        return BenchmarkResult(name: "\(id) next-item \(config.encoder.rawValue) (\(data.name) leave-last-out, \(result.epochs.count) epochs\(lossName))",
                               secondsPerCall: result.seconds, throughput: result.positionsPerSecond, unit: "positions/s",
                               quality: ["test_hr@10": result.test.hitRate, "test_ndcg@10": result.test.ndcg, "test_mrr": result.test.mrr,
                                         "units_per_epoch": Double(next.trainingPositionsPerEpoch)],
                               gflops: gflops, shareOfSgemm: gflops / ComputeWork.measuredSgemmRate(quick: quick),
                               breakdown: ComputeWork.shares(profile, trainingSeconds: result.epochs.compactMap(\.seconds).reduce(0, +)))
    }
}
