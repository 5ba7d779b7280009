import ArgumentParser
import Benchmarks
import Downstream
import Foundation

extension ScaleBenchmarks.Size: ExpressibleByArgument {}

/// `warmstart bench`: speed figures, printed as a table (release builds only mean anything).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: workloads W1–W6 and W8 (quality and throughput), micro-benchmarks (micro), archive throughput (archive), or all; W7 (scale, --size) on its own.",
        discussion: "Build with `swift build -c release`; debug builds are 10-100x slower.")

    @Argument(help: "Which benchmarks: W1 … W8, workloads (W1–W6 and W8), micro, archive, or all (all but W7).")
    var suite: String = "micro"

    @Option(help: "Threads for the workloads.")
    var threads = 2

    @Option(help: "Override a workload's epoch count (both sides of a comparison must use the same).")
    var epochs: Int?

    @Option(help: "W2, W5 or W6 on this interactions file (any format `--data` reads) instead of ml-100k; W7 on it instead of its synthetic log.")
    var data: String?

    @Option(help: "W7's size: S (50k users, 100k items, 1M events), M (200k, 1M, 10M) or L (500k, 1M, 50M); the log is written once into the data cache.")
    var size = ScaleBenchmarks.Size.S

    @Option(help: "W5 or W6's loss: full (as written), popular (the popularity-sampled softmax with log-Q; compare.py --loss popular runs PyTorch's beside it), sampled or bpr.")
    var loss = "full"

    @Option(help: "Negatives per batch with --loss popular.")
    var negatives = 200

    @Flag(help: "A smoke run of a few seconds (used by the tests).")
    var quick = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let results: [BenchmarkResult]
        do {
            results = try reportingErrors {
                try BenchmarkSuite.run(suite, quick: quick, threads: threads, epochs: epochs, dataFile: data, size: size,
                                       loss: NextItemLoss(name: loss, negatives: negatives))
            }
        } catch let error as BenchmarkError { throw ValidationError(error.description) }
        print(json ? try BenchmarkSuite.json(results) : BenchmarkSuite.table(results))
    }
}
