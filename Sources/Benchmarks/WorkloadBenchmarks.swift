import Archive
import Autograd
import Datasets
import Dispatch
import Downstream
import Evaluation
import Foundation
import Layers
import Pretraining

/// BENCHMARKS.md workloads W1–W6, run exactly as written (or shrunk to a
/// smoke run with `quick`), each printing its quality figure and throughput.
public enum WorkloadBenchmarks {
    /// The workload ids.
    public static let ids = ["W1", "W2", "W3", "W4", "W5", "W6"]

    /// Runs workload `id` on the data in `cache`; `threads` applies to skip-gram (W2, W3);
    /// `epochs` overrides the workload's epoch count (to time both sides of a comparison on fewer epochs).
    public static func run(_ id: String, quick: Bool, threads: Int = 2, epochs: Int? = nil,
                           cache: DataCache = .defaultCache()) throws -> BenchmarkResult {
        switch id {
        case "W1": return try w1(quick: quick, epochs: epochs, cache: cache)
        case "W2": return try w2(quick: quick, threads: threads, epochs: epochs, cache: cache)
        case "W3": return try w3(quick: quick, threads: threads, epochs: epochs, cache: cache)
        case "W4": return try w4(quick: quick, epochs: epochs, cache: cache)
        case "W5", "W6":
            // No threads of our own run here, so OpenBLAS may use them for the catalogue-sized products.
            MathThreads.setBLASThreads(threads)
            defer { MathThreads.setBLASThreads(1) }
            return try nextItem(id, quick: quick, epochs: epochs, cache: cache)
        default: throw DatasetError.invalidRequest("unknown workload '\(id)'; known: \(ids.joined(separator: ", "))")
        }
    }

    static func median(_ x: [Double]) -> Double { let s = x.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }

    static func w1(quick: Bool, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        let all = RatingTriples(users: data.users, items: data.items, ratings: data.ratings!)
        let (train, test) = IndexSplit.random(count: all.count, trainFraction: 0.8, seed: 0)
        let trainSet = all.subset(train)
        var rng = SeededGenerator(seed: 0)
        let mf = MatrixFactorization(userCount: data.userCount, itemCount: data.itemCount, dimension: 64, globalMean: trainSet.mean, rng: &rng)
        var config = RatingTrainingConfig()
        config.epochs = epochs ?? (quick ? 1 : 20)
        let start = DispatchTime.now().uptimeNanoseconds
        let reports = try RatingTrainer.train(mf, data: trainSet, config: config, regularizer: Regularizers.l2(1e-4))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return BenchmarkResult(name: "W1 MF explicit (ml-100k ratings 80/20 seed 0, \(config.epochs) epochs)", secondsPerCall: seconds,
                               throughput: median(reports.map(\.examplesPerSecond)), unit: "examples/s",
                               quality: ["test_rmse": RatingTrainer.rootMeanSquaredError(mf, all.subset(test))])
    }

    static func skipGram(_ corpus: SkipGramCorpus, _ config: SkipGramConfig) -> (SkipGramTrainer, Double, Double) {
        let trainer = SkipGramTrainer(config: config, counts: corpus.counts)
        var rates: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        trainer.train(corpus) { rates.append(Double($0.tokens) / $0.seconds) }
        return (trainer, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, median(rates))
    }

    static func w2(quick: Bool, threads: Int, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        let split = LeaveLastOutSplit(data)
        let corpus = Corpora.userSequences(split, items: data.itemVocabulary)
        var config = SkipGramConfig.w2
        config.threads = threads
        if quick { config.epochs = 1 }
        if let epochs { config.epochs = epochs }
        let (trainer, seconds, rate) = skipGram(corpus, config)
        let report = NearestNeighbourEvaluation.evaluate(try KeyedEmbeddings(keys: corpus.keys, vectors: trainer.input), split: split,
                                                         items: data.itemVocabulary)
        return BenchmarkResult(name: "W2 item2vec (ml-100k leave-last-out, \(config.epochs) epochs, \(threads) threads)", secondsPerCall: seconds,
                               throughput: rate, unit: "tokens/s", quality: ["test_hr@10": report.hitRate, "test_ndcg@10": report.ndcg])
    }

    static func w3(quick: Bool, threads: Int, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        var lines = try PublicDatasets.kjv(cache: cache)
        if quick { lines = Array(lines.prefix(2000)) }
        var config = SkipGramConfig.w3
        config.threads = threads
        if quick { config.epochs = 1 }
        if let epochs { config.epochs = epochs }
        let corpus = Corpora.text(lines, minimumCount: config.minimumCount)
        let (_, seconds, rate) = skipGram(corpus, config)
        return BenchmarkResult(name: "W3 word2vec (kjv, \(config.epochs) epochs, \(threads) threads)", secondsPerCall: seconds,
                               throughput: rate, unit: "words/s", quality: ["words": Double(corpus.tokenCount)])
    }

    static func w4(quick: Bool, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        let task = try ClassificationTask.text(try PublicDatasets.smsSpam(cache: cache), positiveLabel: "spam")
        var config = ClassificationRunConfig()
        config.training.epochs = epochs ?? (quick ? 1 : 10)
        let result = try ClassificationRunner.run(task, archive: nil, config: config)
        let b = result.binary!
        return BenchmarkResult(name: "W4 spam detector (sms-spam 80/20 seed 0, \(config.training.epochs) epochs, random start)",
                               secondsPerCall: result.seconds, throughput: median(result.epochs.map(\.examplesPerSecond)), unit: "examples/s",
                               quality: ["accuracy": b.accuracy, "spam_f1": b.f1, "roc_auc": b.rocAUC])
    }

    static func nextItem(_ id: String, quick: Bool, epochs override: Int?, cache: DataCache) throws -> BenchmarkResult {
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        let next = NextItemData(split: LeaveLastOutSplit(data), items: data.itemVocabulary, maxLength: 50)
        let encoder: SequenceEncoderKind = id == "W5" ? .gru : .sasrec
        var rng = SeededGenerator(seed: 0)
        let items = Embedding(count: next.rows, dimension: 64, std: 0.1, paddingIndex: 0, rng: &rng)
        let model = NextItemModel(config: NextItemConfig(encoder: encoder, rows: next.rows), items: items, rng: &rng)
        var training = NextItemTrainingConfig()
        training.epochs = override ?? (quick ? 1 : (encoder == .gru ? 100 : 200))
        training.evaluateEvery = quick ? 1 : 10
        if encoder == .sasrec { training.patience = 3 }
        let start = DispatchTime.now().uptimeNanoseconds
        let epochs = try NextItemTrainer.train(model, data: next, config: training)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (test, _) = NextItemTrainer.evaluate(model, data: next, target: .test)
        return BenchmarkResult(name: "\(id) next-item \(encoder.rawValue) (ml-100k leave-last-out, \(epochs.count) epochs)", secondsPerCall: seconds,
                               throughput: median(epochs.map(\.positionsPerSecond)), unit: "positions/s",
                               quality: ["test_hr@10": test.hitRate, "test_ndcg@10": test.ndcg, "test_mrr": test.mrr])
    }
}
