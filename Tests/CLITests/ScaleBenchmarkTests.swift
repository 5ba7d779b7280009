import Autograd
import Benchmarks
import Datasets
import Foundation
import Testing

/// W7's pieces that its figures rest on: the growth line, the sample of
/// users whose targets are ranked, and a smoke run whose figures are checked
/// against the data it made.
@Suite("W7: the growth fit, the evaluated sample and a quick run")
struct ScaleBenchmarkTests {
    @Test("the least-squares line by hand: exact on a line, the mean slope on a known scatter")
    func linearFit() {
        let exact = ScaleBenchmarks.linearFit([(1, 5), (2, 7), (4, 11)])
        #expect(abs(exact.slope - 2) < 1e-12 && abs(exact.intercept - 3) < 1e-12)
        // x 0, 1, 2; y 1, 1, 4: mean x 1, mean y 2; sxy = (-1)(-1) + 0 + (1)(2) = 3, sxx = 2 -> slope 1.5, intercept 0.5.
        let scatter = ScaleBenchmarks.linearFit([(0, 1), (1, 1), (2, 4)])
        #expect(abs(scatter.slope - 1.5) < 1e-12 && abs(scatter.intercept - 0.5) < 1e-12)
    }

    @Test("the evaluated sample keeps every training part, and the targets of exactly that many users, seeded")
    func sampledTargets() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("w7-sample-\(UUID().uuidString).inter").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = SyntheticLogConfig()
        (config.users, config.items, config.events) = (300, 500, 3_000)
        try SyntheticLog.write(config, to: path)
        let split = LeaveLastOutSplit(try Interactions.read(path: path, layout: .recBole, columns: .recBole))
        let sample = ScaleBenchmarks.sampledTargets(split, users: 100, seed: 0)
        #expect(sample.train == split.train && sample.itemCount == split.itemCount)
        #expect(sample.test.compactMap { $0 }.count == 100 && sample.validation.compactMap { $0 }.count == 100)
        for user in split.test.indices where sample.test[user] != nil {
            #expect(sample.test[user] == split.test[user] && sample.validation[user] == split.validation[user])
        }
        #expect(ScaleBenchmarks.sampledTargets(split, users: 100, seed: 0).test == sample.test, "seeded")
        #expect(ScaleBenchmarks.sampledTargets(split, users: 100, seed: 1).test != sample.test)
        #expect(ScaleBenchmarks.sampledTargets(split, users: 10_000, seed: 0).test == split.test, "fewer users than asked: all kept")
    }

    @Test("bench W7 --quick: every method reports, counts the log's own units, and ranks above chance")
    func quickRun() throws {
        let results = try BenchmarkSuite.run("W7", quick: true, threads: 2)
        func result(_ part: String) throws -> BenchmarkResult { try #require(results.first { $0.name.contains(part) }, "no \(part) result") }
        let read = try result("read")
        let events = try #require(read.name.split(separator: " ").dropFirst(3).first.flatMap { Int($0) })
        #expect(events > 10_000, "the quick log has about 12,000 events")
        let item2vec = try result("item2vec"), bpr = try result("BPR"), next = try result("popular sampled softmax"), growth = try result("against positions")
        // item2vec trains on every training event, BPR on every training pair: the same count, below the log's events (targets held out).
        let tokens = try #require(item2vec.quality?["units_per_epoch"]), pairs = try #require(bpr.quality?["units_per_epoch"])
        #expect(tokens == pairs && tokens < Double(events) && tokens > Double(events) * 0.8)
        for r in [item2vec, bpr, next] {
            let hr = try #require(r.quality?["test_hr@10"])
            #expect(hr > 10.0 / 3_000 && hr <= 1, "\(r.name): HR@10 \(hr) is above picking 10 of 3,000 items at random")
            #expect((r.throughput ?? 0) > 0)
        }
        // Measured, and never negative; it can be 0 here, where other tests in this process free memory while this one trains.
        let peakOverState = try #require(next.quality?["peak_over_state"])
        #expect(peakOverState >= 0 && peakOverState.isFinite)
        let slope = try #require(growth.quality?["seconds_per_million_positions"])
        #expect(slope > 0, "more users, more seconds")
        #expect(results.contains { $0.name.contains("x128 none write") } && results.contains { $0.name.contains("x128 none read") })
        #expect(throws: BenchmarkError.self) { try BenchmarkSuite.run("micro", quick: true, dataFile: "any.inter") }
    }
}
