import Archive
import Autograd
import Datasets
import Downstream
import Foundation
import Testing

/// The README's library example, call for call, on small files made here.
@Suite("The README's library example runs")
struct ReadmeExampleTests {
    @Test("a spam detector and a SASRec, each from an archive, as the README writes them")
    func example() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = SeededGenerator(seed: 4)
        let vocabulary = ["win", "free", "prize", "call", "hello", "see", "you", "home", "later", "ok"]
        let texts = (0..<240).map { k in
            k % 3 == 0 ? "spam\twin a free prize call now \(k)" : "ham\t" + (0..<4).map { _ in vocabulary[4 + rng.nextInt(below: 6)] }.joined(separator: " ")
        }
        try texts.joined(separator: "\n").write(toFile: dir + "/mine.tsv", atomically: true, encoding: .utf8)
        let manifest = ArchiveManifest(kind: "embeddings", method: "test", seed: 4, threads: 1, toolVersion: "test")
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: vocabulary),
                                              tensors: ["vectors": .normal(shape: [10, 8], std: 0.1, using: &rng)]), to: dir + "/words.warm")
        var logText = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for user in 0..<40 { for k in 0..<8 { logText += "u\(user)\ti\((user + k) % 20)\t4\t\(k)\n" } }
        try logText.write(toFile: dir + "/log.inter", atomically: true, encoding: .utf8)
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: (0..<20).map { "i\($0)" }),
                                              tensors: ["vectors": .normal(shape: [20, 16], std: 0.1, using: &rng)]), to: dir + "/items.warm")

        // From here on, the README's lines with the files above (paths under `dir`).
        let words = try KeyedEmbeddings(try WarmArchive.read(path: dir + "/words.warm"))
        var options = ClassificationTaskName.Options()
        options.file = dir + "/mine.tsv"
        let task = try ClassificationTaskName.text.make(options).task
        var classify = ClassificationRunConfig()
        classify.start = ClassificationRunConfig.recommendedStart
        classify.training.epochs = 40  // the README keeps the default 10; 240 short messages need more steps
        classify.dimension = words.dimension
        let figures = try ClassificationRunner.train(task, source: "mine.tsv", archive: words, config: classify, modelPath: dir + "/spam.warm")
        #expect(try #require(figures["f1"]?.number) > 0.9, "F1 \(figures)")
        let detector = try ClassifierPredictor(path: dir + "/spam.warm")
        #expect(detector.predict([detector.bag(text: "win a free prize, call now")])[0].call == "spam")

        var next = NextItemRunConfig()
        next.encoder = .sasrec
        next.start = .finetuned
        next.training.epochs = 3  // the README keeps the default 100; three are enough to show it runs
        let log = try DataSource(dir + "/log.inter").interactions()
        let items = try KeyedEmbeddings(try WarmArchive.read(path: dir + "/items.warm"))
        let metrics = try NextItemRunner.train(log, archive: items, config: next, files: NextItemFiles(model: dir + "/next.warm"))
        #expect((0...1).contains(try #require(metrics["test_hr@10"]?.number)) && metrics["warm_start_coverage"]?.number == 1)
        let shown = try NextItemRecommender(path: dir + "/next.warm").recommend(after: ["i1", "i2"], k: 5)
        #expect(shown.count == 5 && !shown.contains { $0.key == "i1" || $0.key == "i2" })
    }
}
