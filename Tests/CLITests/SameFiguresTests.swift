import Archive
import Autograd
import Datasets
import Downstream
import Foundation
import Pretraining
import Reports
import Testing

/// `classify train` and a reuse-grid cell call `ClassificationRunner`;
/// `pretrain mf` calls `RatingFactorizationRunner` and, for BPR,
/// `ImplicitFactorizationRunner`: for the same data, settings and seed the
/// figures agree to the last bit.
@Suite("Classification and factorization: the CLI, the grid and the runners give the same figures")
struct SameFiguresTests {
    /// u.data-style ratings: 40 users x 15 of 30 items, ratings from a planted user x item taste.
    private func ratings() throws -> String {
        var rng = SeededGenerator(seed: 12)
        var text = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for user in 0..<40 {
            for k in 0..<15 {
                let item = (user * 7 + k * 2) % 30
                text += "u\(user)\ti\(item)\t\(min(5, 1 + (user + item) % 5 + rng.nextInt(below: 2)))\t\(k)\n"
            }
        }
        let path = Fixtures.temporary("ratings.inter")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func cliJSON(_ arguments: [String]) throws -> [String: Double] {
        let out = Fixtures.temporary("cli.json")
        let (status, stderr) = try runWarmstart(arguments + ["--json"], stdout: out, environment: ["OPENBLAS_CORETYPE": MathThreads.blasKernel])
        try #require(status == 0, "\(stderr)")
        return try JSONDecoder().decode([String: JSONValue].self, from: Data(contentsOf: URL(fileURLWithPath: out))).compactMapValues(\.number)
    }

    @Test("classify train --task text, a grid cell and ClassificationRunner: same F1, ROC AUC and epochs at a quarter of the labels")
    func classification() throws {
        let path = try Fixtures.labelledText()
        var options = ClassificationTaskName.Options()
        options.file = path
        let task = try ClassificationTaskName.text.make(options).task
        var config = ClassificationRunConfig()  // the CLI's defaults: width 64, one hidden layer of 64, 10 epochs, batch 64, Adam 0.001
        config.seed = 4; config.training.seed = 4
        MathThreads.setBLASThreads(1)
        let runner = try ClassificationRunner.run(task.withLabelFraction(0.25, seed: 4), archive: nil, config: config)

        var results = ReuseResults(task: "text", headline: "f1", description: "", runs: [], probes: [])
        try ReuseGrid(archives: [], fractions: [0.25], seeds: [4]).run(.classification(task, config), into: &results, savingTo: nil) { _ in }
        let cell = try #require(results.runs.first)
        let cli = try cliJSON(["classify", "train", "--task", "text", "--data", path, "--fraction", "0.25", "--seed", "4"])
        for key in ["f1", "roc_auc"] {
            let expected = try #require(runner.metrics[key]?.number)
            #expect(cell.metrics[key] == expected && cli[key] == expected, "\(key): runner \(expected), grid \(cell.metrics[key] ?? .nan), CLI \(cli[key] ?? .nan)")
        }
        #expect(try #require(runner.metrics["roc_auc"]?.number) > 0.8, "the planted words separate the labels")
    }

    @Test("pretrain mf (explicit and bpr) and the factorization runners: same test figures")
    func factorization() throws {
        let path = try ratings()
        let data = try Interactions.read(path: path, layout: .recBole, columns: .recBole)
        var explicit = RatingRunConfig()
        explicit.dimension = 8; explicit.training.epochs = 5; explicit.training.seed = 2
        let rating = try RatingFactorizationRunner.run(data, config: explicit)
        let common = ["--data", path, "--dim", "8", "--epochs", "5", "--seed", "2", "--out", Fixtures.temporary("mf.warm")]
        #expect(try cliJSON(["pretrain", "mf"] + common)["test_rmse"] == rating.testRMSE)

        var bpr = ImplicitRunConfig()
        bpr.dimension = 8; bpr.training.epochs = 5; bpr.training.seed = 2
        let implicit = try ImplicitFactorizationRunner.run(data, config: bpr)
        let cli = try cliJSON(["pretrain", "mf", "--model", "bpr"] + common)
        #expect(cli["test_hr@10"] == implicit.test.hitRate && cli["test_ndcg@10"] == implicit.test.ndcg)
    }
}
