import Archive
import Autograd
import Datasets
import Downstream
import Foundation
import Pretraining
import Reports
import Testing

/// `classify train` and a reuse-grid cell call `ClassificationRunner`;
/// `pretrain mf` calls `FactorizationJob`, which runs
/// `RatingFactorizationRunner` or, for BPR, `ImplicitFactorizationRunner`:
/// for the same data, settings and seed the figures agree to the last bit.
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

    @Test("pretrain mf (explicit and bpr), FactorizationJob and the factorization runners: same test figures")
    func factorization() throws {
        let path = try ratings()
        let data = try Interactions.read(path: path, layout: .recBole, columns: .recBole)
        let source = ArchiveManifest.DataProvenance(name: "ratings", fingerprint: "", split: "")
        var explicit = RatingRunConfig()
        explicit.dimension = 8; explicit.training.epochs = 5; explicit.training.seed = 2
        let rating = try RatingFactorizationRunner.run(data, config: explicit)
        var job = FactorizationJobConfig()
        job.settings = explicit
        let ratingJob = try FactorizationJob.run(data, config: job, source: source)
        let common = ["--data", path, "--dim", "8", "--epochs", "5", "--seed", "2", "--out", Fixtures.temporary("mf.warm")]
        #expect(ratingJob.metrics["test_rmse"]?.number == rating.testRMSE)
        #expect(try cliJSON(["pretrain", "mf"] + common)["test_rmse"] == rating.testRMSE)
        #expect(try KeyedEmbeddings(ratingJob.archive).vectors.scalars == rating.itemTable.scalars, "the archive holds the runner's item table")
        var pair = job
        pair.settings.ensemble = 2
        var notes: [String] = []
        let members = try #require(FactorizationJob.run(data, config: pair, source: source, note: { notes.append($0) }).metrics["member_test_rmse"])
        guard case .array(let rmses) = members else { Issue.record("member_test_rmse is \(members)"); return }
        let expectedNotes = [pair.summary] + zip([2, 3], rmses.compactMap(\.number)).map { seed, rmse in
            String(format: "member %d (seed %d): test RMSE %.4f", seed - 1, seed, rmse)
        }
        #expect(notes == expectedNotes, "the job names its settings, then each member's seed and test RMSE")

        var bpr = ImplicitRunConfig()
        bpr.dimension = 8; bpr.training.epochs = 5; bpr.training.seed = 2
        let implicit = try ImplicitFactorizationRunner.run(data, config: bpr)
        job.model = try FactorizationModel(name: "bpr")
        let bprJob = try FactorizationJob.run(data, config: job, source: source)
        #expect(bprJob.metrics["test_hr@10"]?.number == implicit.test.hitRate && bprJob.metrics["test_ndcg@10"]?.number == implicit.test.ndcg)
        let cli = try cliJSON(["pretrain", "mf", "--model", "bpr"] + common)
        #expect(cli["test_hr@10"] == implicit.test.hitRate && cli["test_ndcg@10"] == implicit.test.ndcg)
    }

    @Test("FactorizationJob: model names round-trip, an unknown one is refused by name, categories add genre agreement")
    func factorizationJobOptions() throws {
        for name in FactorizationModel.names { #expect(try FactorizationModel(name: name).name == name) }
        #expect(throws: DatasetError.self) { try FactorizationModel(name: "svd") }
        do { _ = try FactorizationModel(name: "svd"); Issue.record("accepted an unknown model") } catch {
            #expect("\(error)".contains("svd") && "\(error)".contains("feedforward"), "\(error)")
        }
        let data = try Interactions.read(path: try ratings(), layout: .recBole, columns: .recBole)
        var job = FactorizationJobConfig()
        job.settings.dimension = 8; job.settings.training.epochs = 2
        let source = ArchiveManifest.DataProvenance(name: "ratings", fingerprint: "", split: "")
        // Items in two planted halves: genre agreement is measured, and lies in [0, 1].
        let categories = Dictionary(uniqueKeysWithValues: (0..<30).map { ("i\($0)", [$0 < 15 ? "low" : "high"]) })
        let with = try FactorizationJob.run(data, config: job, source: source, categories: categories).metrics
        let agreement = try #require(with["genre_agreement@10"]?.number)
        #expect((0...1).contains(agreement) && with["genre_agreement@10_chance"]?.number != nil)
        #expect(try FactorizationJob.run(data, config: job, source: source).metrics["genre_agreement@10"] == nil)
    }
}
