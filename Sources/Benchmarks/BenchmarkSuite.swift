import Autograd
import Downstream
import Foundation

/// The benchmark suites `warmstart bench` runs, by name: workloads W1 … W6 and W8
/// (one, or all as "workloads"), "micro", "archive", or "all"; and W7 (the
/// synthetic log at size S, M or L: minutes to an hour, so in none of the groups).
public enum BenchmarkSuite {
    /// Every suite name `run` accepts.
    public static var names: [String] { ["micro", "archive", "all", "workloads", "W7"] + WorkloadBenchmarks.ids }

    /// Runs the suite `name` (see the type's description); `threads` and
    /// `epochs` are the workloads' (both sides of a comparison must use the
    /// same); `dataFile` runs W2/W5/W6 on that interactions file instead of
    /// ml-100k, and W7 on it instead of its synthetic log of size `size`;
    /// `loss` replaces W5/W6's full softmax.
    public static func run(_ name: String, quick: Bool, threads: Int = 2, epochs: Int? = nil, dataFile: String? = nil,
                           size: ScaleBenchmarks.Size = .S, loss: NextItemLoss = .fullSoftmax) throws -> [BenchmarkResult] {
        guard names.contains(name) else {
            throw BenchmarkError.unknownSuite("unknown benchmark suite '\(name)'; available: W1 … W8, workloads, micro, archive, all")
        }
        if dataFile != nil && !["W2", "W5", "W6", "W7"].contains(name) {
            throw BenchmarkError.unknownSuite("another interactions file is for W2, W5, W6 or W7 alone, not '\(name)'")
        }
        if loss != .fullSoftmax && !["W5", "W6"].contains(name) {
            throw BenchmarkError.unknownSuite("another loss is for W5 or W6 alone, not '\(name)'")
        }
        if name == "W7" { return try ScaleBenchmarks.run(size: size, quick: quick, threads: threads, epochs: epochs, log: dataFile) }
        var results: [BenchmarkResult] = []
        if name == "micro" || name == "all" { results += AutogradMicroBenchmarks.run(quick: quick) + ModelMicroBenchmarks.run(quick: quick) }
        if name == "archive" || name == "all" { results += try ArchiveBenchmarks.run(quick: quick) }
        for id in WorkloadBenchmarks.ids where name == id || name == "workloads" || name == "all" {
            results.append(try WorkloadBenchmarks.run(id, quick: quick, threads: threads, epochs: epochs, dataFile: dataFile, loss: loss))
        }
        return results
    }

    /// The results as pretty-printed JSON with sorted keys.
    public static func json(_ results: [BenchmarkResult]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(results), as: UTF8.self)
    }

    /// The results as a text table headed by the OpenBLAS kernel and threads.
    public static func table(_ results: [BenchmarkResult]) -> String {
        func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
        var lines = ["OpenBLAS kernel: \(MathThreads.blasKernel), threads: \(MathThreads.blasThreads)",
                     pad("benchmark", 64) + pad("µs/call", 12) + "throughput"]
        for r in results {
            let t = r.throughput.map { String(format: "%.1f %@", $0, r.unit ?? "") } ?? ""
            let q = r.quality.map { quality in "  " + quality.keys.sorted().map { k in String(format: "%@ %.4f", k, quality[k]!) }.joined(separator: ", ") } ?? ""
            let work = r.gflops.map { g in String(format: "  %.1f GFLOP/s", g) + (r.shareOfSgemm.map { String(format: " (%.0f%% of sgemm)", $0 * 100) } ?? "") } ?? ""
            lines.append(pad(r.name, 64) + pad(String(format: "%.2f", r.secondsPerCall * 1e6), 12) + t + work + q)
            if let shares = r.breakdown {
                let top = shares.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(8)
                lines.append("    time: " + top.map { String(format: "%@ %.1f%%", $0.key, $0.value * 100) }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// A benchmark request that cannot run.
public enum BenchmarkError: Error, CustomStringConvertible {
    /// No suite of that name.
    case unknownSuite(String)

    /// The message.
    public var description: String {
        switch self { case .unknownSuite(let message): return message }
    }
}
