import Archive
import Autograd
import Datasets
import Downstream
import Foundation
import Pretraining
import SparkEngine
import Testing

/// The spark-submit the real-Spark tests run: `$WARMSTART_SPARK_SUBMIT`,
/// else the project's `.venv-spark` (made by `make sparkdeps`), else PATH's.
let sparkSubmitPath: String? = {
    let environment = ProcessInfo.processInfo.environment
    let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".venv-spark/bin/spark-submit").path
    if let given = environment["WARMSTART_SPARK_SUBMIT"] { return given }
    if FileManager.default.isExecutableFile(atPath: venv) { return venv }
    return SparkTools.onPath("spark-submit", environment: environment)
}()

/// Whether the real-Spark tests run: always in CI (`CI` set), where a
/// missing spark-submit or ml-100k fails them; elsewhere when both are there
/// (else they are reported as skipped, not passed).
let sparkReady = ProcessInfo.processInfo.environment["CI"] != nil
    || (sparkSubmitPath != nil && FileManager.default.fileExists(atPath: DataCache.defaultCache().path("ml-100k/ml-100k.inter")))

/// The settings of a `local[2]` session with `sparkSubmitPath`; throws (a test failure) when there is none.
func sparkSettings() throws -> SparkSettings {
    var settings = SparkSettings()
    guard let path = sparkSubmitPath else { throw SparkError.noSparkSubmit("spark-submit missing; `make sparkdeps` installs pyspark into .venv-spark") }
    settings.sparkSubmit = path
    return settings
}

/// The test figure of an archive's metrics.
func figure(_ metrics: [String: JSONValue], _ name: String) -> Double { metrics[name]?.number ?? -1 }

@Suite("Pretraining on a local[2] Spark session", .serialized, .enabled(if: sparkReady))
struct SparkJobTests {
    @Test("MLlib ALS on ml-100k: the same split as Warmstart's, W8 HR@10 at most 0.02 under local ALS, and the archive warm-starts the GRU")
    func als() throws {
        let settings = try sparkSettings()
        let data = DataSource("ml-100k")
        let spark = try SparkPretrainer.run(.als(data), settings: settings)
        let loaded = try data.interactions()
        let local = try ALSRunner.run(loaded.data, config: ALSConfig())
        let sparkHR = figure(spark.metrics, "test_hr@10")
        // 0.02 is about two standard errors of HR@10 near 0.08 over 943 users.
        #expect(sparkHR >= local.test.hitRate - 0.02, "Spark \(sparkHR), local \(local.test.hitRate)")
        #expect(sparkHR > 0.05, "Spark ALS HR@10 \(sparkHR)")
        let manifest = spark.contents.manifest
        #expect(manifest.hyperparameters["engine"] == "spark" && manifest.hyperparameters["spark_master"] == "local[2]")
        #expect(manifest.hyperparameters["spark_version"]?.string?.hasPrefix("4.") == true)
        #expect(manifest.data?.fingerprint == loaded.fingerprint && manifest.method == "als")
        #expect(spark.contents.tensors["users"]?.shape == [loaded.data.userCount, 64])

        // Reused like a local archive: the GRU starts from it (every training item covered) and trains.
        let path = NSTemporaryDirectory() + "spark-als-\(UUID().uuidString).warm"
        try WarmArchive.write(spark.contents, to: path)
        var config = NextItemRunConfig()
        config.start = .finetuned; config.training.epochs = 2
        let gru = try NextItemRunner.train(loaded, archive: try KeyedEmbeddings(try WarmArchive.read(path: path)), config: config)
        #expect(figure(gru, "warm_start_coverage") > 0.99, "\(gru)")
        #expect(figure(gru, "test_hr@10") > 0.02, "\(gru)")
    }

    @Test("MLlib Word2Vec over user sequences on ml-100k: W2 HR@10 at most 0.02 under local item2vec, and the archive warm-starts the genre probe")
    func item2vec() throws {
        let settings = try sparkSettings()
        let data = DataSource("ml-100k")
        let spark = try SparkPretrainer.run(.word2vec(.item2vec, data), settings: settings)
        let loaded = try data.interactions()
        let local = try SkipGramRunner.runItems(loaded.data, sentences: .userSequences, config: .w2)
        let (sparkHR, localHR) = (figure(spark.metrics, "test_hr@10"), figure(local.metrics, "test_hr@10"))
        #expect(sparkHR >= localHR - 0.02, "Spark \(sparkHR), local \(localHR)")
        #expect(spark.record.corpus["sentences"] == loaded.data.userCount)
        #expect(spark.contents.manifest.hyperparameters["differences"] != nil)

        // The genre probe at 10% of its labels: the Spark vectors start it better than a random table.
        let task = ItemTasks.genres(items: loaded.data.itemVocabulary, catalog: try #require(loaded.catalog))
        let vectors = try KeyedEmbeddings(spark.contents)
        var warm = ClassificationRunConfig(); warm.start = ClassificationRunConfig.recommendedStart
        let random = ClassificationRunConfig()
        let warmAUC = figure(try ClassificationRunner.train(task, source: "ml-100k", archive: vectors, config: warm, fraction: 0.1), "mean_roc_auc")
        let randomAUC = figure(try ClassificationRunner.train(task, source: "ml-100k", archive: nil, config: random, fraction: 0.1), "mean_roc_auc")
        #expect(warmAUC > randomAUC + 0.05, "warm \(warmAUC), random \(randomAUC)")
    }

    @Test("sessions cut at the gap by Spark SQL: more sentences than users, and vectors far above chance")
    func sessions() throws {
        let settings = try sparkSettings()
        let spark = try SparkPretrainer.run(.word2vec(.sessions, DataSource("ml-100k"), gap: 1800), settings: settings)
        #expect((spark.record.corpus["sentences"] ?? 0) > 943)
        // 10 random unseen items of ~1,600 hit about 0.6% of the time.
        #expect(figure(spark.metrics, "test_hr@10") > 0.03, "\(spark.metrics)")
        #expect(spark.contents.manifest.method == "sessions")
    }

    @Test("a job that fails shows the last lines of Spark's log, with the job's own message")
    func failedJob() throws {
        let settings = try sparkSettings()
        let file = NSTemporaryDirectory() + "spark-bad-\(UUID().uuidString).tsv"
        try Data("user\titem\nu1\ti1\n".utf8).write(to: URL(fileURLWithPath: file))
        // A file:// URI goes to Spark unread here; the column it names is not in the header.
        let data = DataSource("file://" + file, columns: ["user", "missing_column"])
        do { _ = try SparkPretrainer.run(.als(data), settings: settings); Issue.record("the job succeeded") } catch let error as SparkError {
            guard case .jobFailed(_, let tail, _) = error else { Issue.record("\(error)"); return }
            #expect(tail.joined(separator: "\n").contains("missing_column"), "\(tail)")
        }
    }
}
