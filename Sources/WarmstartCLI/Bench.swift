import ArgumentParser
import Autograd
import Benchmarks
import Foundation

/// `warmstart bench`: speed figures, printed as a table (release builds only mean anything).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: micro-benchmarks of the autograd core (micro), archive throughput (archive), or all.",
        discussion: "Build with `swift build -c release`; debug builds are 10-100x slower.")

    @Argument(help: "Which benchmarks: micro, archive or all.")
    var suite: String = "micro"

    @Flag(help: "A smoke run of a few seconds (used by the tests).")
    var quick = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        guard ["micro", "archive", "all"].contains(suite) else {
            throw ValidationError("unknown benchmark suite '\(suite)'; available: micro, archive, all")
        }
        var results: [BenchmarkResult] = []
        if suite != "archive" { results += AutogradMicroBenchmarks.run(quick: quick) }
        if suite != "micro" { results += try ArchiveBenchmarks.run(quick: quick) }
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
            print(pad(r.name, 64) + pad(String(format: "%.2f", r.secondsPerCall * 1e6), 12) + t)
        }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
