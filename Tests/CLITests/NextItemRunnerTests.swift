import Autograd
import Datasets
import Downstream
import Foundation
import Reports
import Testing

/// `nextitem train`, a reuse-grid cell and the library's `NextItemRunner`
/// are one path: for the same data, configuration and seed they give the
/// same figures, to the last bit.
@Suite("Next-item: the CLI, the reuse grid and the runner train the same model")
struct NextItemRunnerTests {
    /// A RecBole file of planted cycles: 60 users, 12 events each, 30 items.
    private func plantedFile() throws -> String {
        var rng = SeededGenerator(seed: 5)
        var text = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for user in 0..<60 {
            let start = rng.nextInt(below: 30)
            for k in 0..<12 { text += "u\(user)\ti\((start + k) % 30)\t4\t\(k)\n" }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("planted-\(UUID().uuidString).inter").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("same figures from `nextitem train --json`, a random-start grid cell and the runner", arguments: SequenceEncoderKind.allCases)
    func samePath(encoder: SequenceEncoderKind) throws {
        let path = try plantedFile()
        var config = NextItemRunConfig()
        config.encoder = encoder; config.dimension = 16; config.maxLength = 10; config.seed = 3
        config.training.epochs = 3; config.training.evaluateEvery = 1
        MathThreads.setBLASThreads(1)  // the CLI's --threads 1: row-parallel kernels chunk by this count
        let data = try Interactions.read(path: path, layout: .recBole, columns: .recBole)
        let next = NextItemData(split: try LeaveLastOutSplit(checking: data), items: data.itemVocabulary, maxLength: 10)
        let runner = try NextItemRunner.run(next, archive: nil, config: config)

        var results = ReuseResults(task: "nextitem", headline: "ndcg@10", description: "", runs: [], probes: [])
        try ReuseGrid(archives: [], fractions: [1], seeds: [3]).run(.nextItem(next, config), into: &results, savingTo: nil) { _ in }
        let cell = try #require(results.runs.first)
        #expect(cell.metrics["ndcg@10"] == runner.test.ndcg && cell.metrics["hr@10"] == runner.test.hitRate
                && cell.metrics["mrr"] == runner.test.mrr && cell.metrics["epochs"] == Double(runner.epochs.count))

        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).json").path
        let (status, stderr) = try runWarmstart(["nextitem", "train", "--data", path, "--model", encoder.rawValue, "--dim", "16",
                                                 "--max-length", "10", "--epochs", "3", "--evaluate-every", "1", "--seed", "3",
                                                 "--threads", "1", "--json"], stdout: out,
                                                 // the kernel this process runs: the CLI would otherwise pick a faster one, rounding differently
                                                 environment: ["OPENBLAS_CORETYPE": MathThreads.blasKernel])
        #expect(status == 0, "\(stderr)")
        struct Summary: Decodable {
            var hr, ndcg, mrr: Double
            enum CodingKeys: String, CodingKey { case hr = "test_hr@10", ndcg = "test_ndcg@10", mrr = "test_mrr" }
        }
        let cli = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(cli.hr == runner.test.hitRate && cli.ndcg == runner.test.ndcg && cli.mrr == runner.test.mrr,
                "CLI \(cli), runner \(runner.test.hitRate) \(runner.test.ndcg) \(runner.test.mrr)")
        #expect(runner.test.hitRate > 0.3, "the planted cycle is learnable: HR@10 \(runner.test.hitRate)")
    }
}
