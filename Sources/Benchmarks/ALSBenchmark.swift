import Archive
import Datasets
import Pretraining

extension WorkloadBenchmarks {
    /// The training pairs W8 counts per sweep: each user's distinct training items.
    static func w8Pairs(_ cache: DataCache) throws -> Int {
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        return LeaveLastOutSplit(data).train.map { Set($0).count }.reduce(0, +)
    }

    /// W8: implicit ALS on the leave-last-out training pairs, 64 factors,
    /// 15 sweeps of 3 CG steps, alpha and λ as `ALSConfig`'s validation-chosen
    /// defaults, on `threads` threads; throughput in training pairs per
    /// second over every sweep (the unit `implicit`'s reference counts).
    static func w8(quick: Bool, threads: Int, epochs: Int?, cache: DataCache) throws -> BenchmarkResult {
        let (data, _) = try PublicDatasets.movieLens100K(cache: cache)
        var config = ALSConfig()
        config.threads = threads
        config.iterations = epochs ?? (quick ? 1 : 15)
        let result = try ALSRunner.run(data, config: config)
        let pairs = Double(try w8Pairs(cache))
        return BenchmarkResult(name: "W8 implicit ALS (ml-100k leave-last-out, \(config.iterations) sweeps, \(threads) threads)",
                               secondsPerCall: result.seconds, throughput: pairs * Double(config.iterations) / result.seconds, unit: "pairs/s",
                               quality: ["test_hr@10": result.test.hitRate, "test_ndcg@10": result.test.ndcg,
                                         "iterations_per_second": Double(config.iterations) / result.seconds, "units_per_epoch": pairs])
    }
}
