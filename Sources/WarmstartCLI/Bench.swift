import ArgumentParser
import Autograd
import Benchmarks
import Datasets
import Foundation

/// `warmstart bench`: speed figures, printed as a table (release builds only mean anything).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: workloads W1–W6 (quality and throughput), micro-benchmarks (micro), archive throughput (archive), or all.",
        discussion: "Build with `swift build -c release`; debug builds are 10-100x slower.")

    @Argument(help: "Which benchmarks: W1 … W6, workloads (all six), micro, archive, or all.")
    var suite: String = "micro"

    @Option(help: "Threads for the skip-gram workloads (W2, W3).")
    var threads = 2

    @Option(help: "Override a workload's epoch count (both sides of a comparison must use the same).")
    var epochs: Int?

    @Flag(help: "A smoke run of a few seconds (used by the tests).")
    var quick = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let workloads = WorkloadBenchmarks.ids
        guard (["micro", "archive", "all", "workloads"] + workloads).contains(suite) else {
            throw ValidationError("unknown benchmark suite '\(suite)'; available: W1 … W6, workloads, micro, archive, all")
        }
        var results: [BenchmarkResult] = []
        if suite == "micro" || suite == "all" { results += AutogradMicroBenchmarks.run(quick: quick) + ModelMicroBenchmarks.run(quick: quick) }
        if suite == "archive" || suite == "all" { results += try ArchiveBenchmarks.run(quick: quick) }
        for id in workloads where suite == id || suite == "workloads" || suite == "all" {
            try reportingDatasetErrors { results.append(try WorkloadBenchmarks.run(id, quick: quick, threads: threads, epochs: epochs)) }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        print("OpenBLAS kernel: \(BLASKernel.current), threads: \(MathThreads.blasThreads)")
        print(pad("benchmark", 64) + pad("µs/call", 12) + "throughput")
        for r in results {
            let t = r.throughput.map { String(format: "%.1f %@", $0, r.unit ?? "") } ?? ""
            let q = r.quality.map { quality in "  " + quality.keys.sorted().map { k in String(format: "%@ %.4f", k, quality[k]!) }.joined(separator: ", ") } ?? ""
            print(pad(r.name, 64) + pad(String(format: "%.2f", r.secondsPerCall * 1e6), 12) + t + q)
        }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
