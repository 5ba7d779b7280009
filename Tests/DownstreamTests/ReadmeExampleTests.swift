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
        let texts = (0..<60).map { k in
            k % 3 == 0 ? "spam\twin a free prize call now \(k)" : "ham\t" + (0..<4).map { _ in vocabulary[4 + rng.nextInt(below: 6)] }.joined(separator: " ")
        }
        try texts.joined(separator: "\n").write(toFile: dir + "/mine.tsv", atomically: true, encoding: .utf8)
        let manifest = ArchiveManifest(kind: "embeddings", method: "test", seed: 4, threads: 1, toolVersion: "test")
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: vocabulary),
                                              tensors: ["vectors": .normal(shape: [10, 8], std: 0.1, using: &rng)]), to: dir + "/words.warm")
        var log = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for user in 0..<40 { for k in 0..<8 { log += "u\(user)\ti\((user + k) % 20)\t4\t\(k)\n" } }
        try log.write(toFile: dir + "/log.inter", atomically: true, encoding: .utf8)
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: (0..<20).map { "i\($0)" }),
                                              tensors: ["vectors": .normal(shape: [20, 16], std: 0.1, using: &rng)]), to: dir + "/items.warm")

        // From here on, the README's lines with the files above.
        let words = try KeyedEmbeddings(try WarmArchive.read(path: dir + "/words.warm"))
        let task = try ClassificationTask.text(try LabelledTexts.readTabSeparated(path: dir + "/mine.tsv"), positiveLabel: "spam")
        var classify = ClassificationRunConfig()
        classify.start = .finetuned
        classify.dimension = words.dimension
        let detector = try ClassificationRunner.run(task, archive: words, config: classify)
        #expect(detector.binary!.f1 > 0.9 && detector.warmStart.found > 0, "F1 \(detector.binary!.f1)")

        let events = try Interactions.read(path: dir + "/log.inter", layout: .recBole, columns: .recBole)
        let sequences = NextItemData(split: try LeaveLastOutSplit(checking: events), items: events.itemVocabulary, maxLength: 50)
        var next = NextItemRunConfig()
        next.encoder = .sasrec
        next.start = .finetuned
        next.training.epochs = 3  // the README keeps the default 100; three are enough to show it runs
        let recommender = try NextItemRunner.run(sequences, archive: try KeyedEmbeddings(try WarmArchive.read(path: dir + "/items.warm")),
                                                 config: next)
        #expect(recommender.warmStart.found == 20 && recommender.model.config.dimension == 16 && recommender.epochs.count == 3)
        #expect((0...1).contains(recommender.test.hitRate))
    }
}
