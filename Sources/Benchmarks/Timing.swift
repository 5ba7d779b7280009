import Evaluation
import Foundation

/// One measured figure: a name, the median time per call, and what it means.
public struct BenchmarkResult: Codable, Sendable {
    /// What was measured.
    public var name: String
    /// Median seconds per call over the trials.
    public var secondsPerCall: Double
    /// A derived throughput (GFLOP/s, GB/s, examples/s …), if any.
    public var throughput: Double?
    /// Unit of `throughput`.
    public var unit: String?
    /// Quality figures of a workload (RMSE, HR@10 …), if any.
    public var quality: [String: Double]?
    /// The workload's counted FLOPs per second, in billions, where they are counted (`ComputeWork`).
    public var gflops: Double?
    /// `gflops` over the machine's `sgemm` rate measured with the same threads (`ComputeWork.measuredSgemmRate`).
    public var shareOfSgemm: Double?
    /// Where the training time went (`OpProfile`): each op's or phase's
    /// share of the training seconds, forward and backward together; the
    /// time no op or phase was charged with is "unattributed".
    public var breakdown: [String: Double]?

    /// A result.
    public init(name: String, secondsPerCall: Double, throughput: Double?, unit: String?, quality: [String: Double]? = nil,
                gflops: Double? = nil, shareOfSgemm: Double? = nil, breakdown: [String: Double]? = nil) {
        self.name = name
        self.secondsPerCall = secondsPerCall
        self.throughput = throughput
        self.unit = unit
        self.quality = quality
        self.gflops = gflops
        self.shareOfSgemm = shareOfSgemm
        self.breakdown = breakdown
    }
}

/// Times `body` in `trials` trials of `repetitions` calls each and returns
/// the median seconds per call. One untimed call warms caches first.
public func medianSecondsPerCall(trials: Int, repetitions: Int, _ body: () -> Void) -> Double {
    body()
    var samples: [Double] = []
    for _ in 0..<trials {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repetitions { body() }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        samples.append(Double(elapsed) / 1e9 / Double(repetitions))
    }
    return Statistics.median(samples) ?? 0
}
