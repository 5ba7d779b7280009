import Autograd
import Benchmarks
import Downstream
import Foundation
import Testing

@Suite("Benchmarks: counted FLOPs and their share of the machine's sgemm rate")
struct ComputeWorkTests {
    /// The issue's own count for W6 on ml-100k (1,683 rows): about 0.65 MFLOP
    /// per position in the output layer and 0.37 in the two blocks.
    @Test func flopsPerPositionByHand() {
        let output = 6.0 * 64 * 1683  // 646,272
        #expect(ComputeWork.nextItemFLOPsPerPosition(encoder: .sasrec, dimension: 64, rows: 1683, maxLength: 50)
                == output + 2 * (36 * 4096 + 12 * 50 * 64))  // + 371,712
        #expect(ComputeWork.nextItemFLOPsPerPosition(encoder: .gru, dimension: 64, rows: 1683, maxLength: 50) == output + 36 * 4096)
        #expect(ComputeWork.nextItemFLOPsPerPosition(encoder: .gru, dimension: 32, rows: 10, maxLength: 50) == 6 * 32 * 10 + 36 * 1024)
    }

    /// A W5 smoke run on a small W7 log reports GFLOP/s as its positions per
    /// second times the counted work, and a share of sgemm that is a share.
    @Test func workloadReportsItsRate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-flops-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let log = root + "/w7.inter"
        #expect(try runWarmstart(["datasets", "synth", "--users", "60", "--items", "900", "--events", "3000", "--seed", "3", "--out", log]).status == 0)
        let result = try WorkloadBenchmarks.run("W5", quick: true, threads: 1, dataFile: log)
        let rows = Double(try DataSource(log).interactions().data.itemCount + 1)
        let expected = try #require(result.throughput) * (6 * 64 * rows + 36 * 4096) / 1e9
        #expect(abs(try #require(result.gflops) - expected) < 1e-9 * expected)
        let share = try #require(result.shareOfSgemm)
        #expect(share > 0 && share < 1.5, "share of sgemm \(share)")
        // The time breakdown: the step's phases and the output layer's op (901 rows: a block of positions at a time),
        // forward and backward, are there, and the shares (unattributed included) make the whole.
        let breakdown = try #require(result.breakdown)
        for name in ["batch assembly", "optimizer step", "blockedSoftmaxCrossEntropy", "blockedSoftmaxCrossEntropy backward"] { #expect(breakdown[name] ?? 0 > 0, "\(name) in \(breakdown)") }
        #expect(abs(breakdown.values.reduce(0, +) - 1) < 1e-9)
        #expect(try #require(breakdown["unattributed"]) < 0.5)
    }

    /// Shares by hand: 1 s forward of one op and 0.5 s backward of another over 2 training seconds (forward and backward apart).
    @Test func sharesByHand() {
        let profile = OpProfile()
        profile.add("a", seconds: 1)
        profile.add("b", seconds: 0.5, backward: true)
        #expect(ComputeWork.shares(profile, trainingSeconds: 2) == ["a": 0.5, "b": 0, "b backward": 0.25, "unattributed": 0.25])
        #expect(profile.ranked.map(\.name) == ["a", "b"] && profile.ranked[0].calls == 1 && profile.ranked[1].calls == 0)
    }
}
