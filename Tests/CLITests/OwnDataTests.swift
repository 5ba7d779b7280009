import Archive
import Autograd
import Datasets
import Downstream
import Foundation
import Testing

/// A user's own files through every path: reuse grids on labelled texts,
/// item bags and an interaction log; splits the user already has; logs
/// ordered by more than one column; pretraining on a labelled file's
/// training part only.
@Suite("Your own data: reuse, given splits, order columns, labelled pretraining")
struct OwnDataTests {
    private func run(_ arguments: [String]) throws -> String {
        let out = Fixtures.temporary("stdout.txt")
        let (status, stderr) = try runWarmstart(arguments, stdout: out)
        try #require(status == 0, "\(arguments.joined(separator: " ")): \(stderr)")
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    @Test("reuse --task text and --task items --data FILE write the full report from a small file")
    func reuseOnYourFiles() throws {
        let texts = try Fixtures.labelledText(), bags = try Fixtures.itemBags()
        let words = Fixtures.temporary("words.warm")
        _ = try run(["pretrain", "word2vec", "--data", texts, "--labelled", "--dim", "8", "--min-count", "1", "--epochs", "2", "--threads", "1", "--out", words])
        for (task, file, positive) in [("text", texts, "spam"), ("items", bags, "fraud")] {
            let folder = Fixtures.temporary("reuse-\(task)")
            let archive = task == "text" ? words : try itemArchive(bags)
            let printed = try run(["reuse", "--task", task, "--data", file, "--positive-label", positive, "--archives", archive,
                                   "--fractions", "0.5,1", "--seeds", "2", "--starts", "finetuned", "--min-steps", "20", "--out", folder])
            #expect(printed.contains("(8 runs)"), "\(printed)")
            let report = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
            #expect(report.contains(task == "text" ? "text:" : "items:") && report.contains("F1 of '\(positive)'"))
            #expect(FileManager.default.fileExists(atPath: folder + "/report.html"))
        }
    }

    /// An archive over the bags' items (random vectors: the grid only needs the keys and a width).
    private func itemArchive(_ bags: String) throws -> String {
        var rng = SeededGenerator(seed: 2)
        let keys = (0..<5).map { "f\($0)" } + (0..<10).map { "o\($0)" } + (0..<3).map { "s\($0)" }
        let path = Fixtures.temporary("items.warm")
        try WarmArchive.write(ArchiveContents(manifest: ArchiveManifest(kind: "embeddings", method: "test", seed: 2, threads: 1),
                                              vocabulary: ArchiveVocabulary(keys: keys),
                                              tensors: ["vectors": .normal(shape: [keys.count, 8], std: 0.3, using: &rng)]), to: path)
        return path
    }

    @Test("reuse --task nextitem --data LOG --columns … --order …: the grid runs on a basket log ordered by two columns")
    func reuseOnYourLog() throws {
        let log = try Fixtures.basketLog()
        let items = Fixtures.temporary("basket-item2vec.warm")
        let data = ["--data", log, "--columns", "user,product", "--order", "order_number,add_to_cart_order"]
        _ = try run(["pretrain", "item2vec"] + data + ["--dim", "8", "--epochs", "2", "--threads", "1", "--out", items])
        let folder = Fixtures.temporary("reuse-next")
        let printed = try run(["reuse", "--task", "nextitem"] + data + ["--archives", items, "--fractions", "1", "--seeds", "1",
                                                                          "--starts", "finetuned", "--epochs", "2", "--out", folder])
        #expect(printed.contains("(2 runs)"), "\(printed)")
        #expect(try String(contentsOfFile: folder + "/report.md", encoding: .utf8).contains("baskets.csv"))
    }

    @Test("--order: the events' order comes from the order columns in turn, not from the lines; with a timestamp too, refused")
    func orderColumns() throws {
        let log = try Fixtures.basketLog(users: 3)
        var source = DataSource(log, columns: ["user", "product"])
        source.order = ["order_number", "add_to_cart_order"]
        let loaded = try source.interactions()
        let split = LeaveLastOutSplit(loaded.data)
        for user in 0..<3 {
            let u = Int(loaded.data.userVocabulary.key(at: Int32(user)).dropFirst())!
            // the last event is order 4, position 3; the one before it order 4, position 2
            #expect(loaded.data.itemVocabulary.key(at: split.test[user]!) == "p\((u + 12 + 3) % 15)")
            #expect(loaded.data.itemVocabulary.key(at: split.validation[user]!) == "p\((u + 12 + 2) % 15)")
        }
        // the same data options on `datasets split` and `datasets info`
        let folder = Fixtures.temporary("basket-split")
        _ = try run(["datasets", "split", log, "--columns", "user,product", "--order", "order_number,add_to_cart_order",
                     "--kind", "leave-last-out", "--out", folder])
        let targets = try String(contentsOfFile: folder + "/test.tsv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: "\t")[1]) }
        #expect(Set(targets) == Set(split.test.compactMap { $0 }.map { loaded.data.itemVocabulary.key(at: $0) }))
        #expect(try run(["datasets", "info", log, "--columns", "user,product", "--order", "order_number,add_to_cart_order"]).contains("interactions"))
        var both = DataSource(log, columns: ["user", "product", "order_number", "add_to_cart_order"])
        both.order = ["order_number"]
        #expect(throws: DatasetError.self) { try both.interactions() }
    }

    @Test("classify train --test FILE: trains on --data, picks epoch and threshold on a tenth of it, tests on FILE; a part without a label is refused")
    func givenSplit() throws {
        let train = try Fixtures.labelledText(count: 180, seed: 21), test = try Fixtures.labelledText(count: 60, seed: 22)
        let model = Fixtures.temporary("given.warm")
        let printed = try run(["classify", "train", "--task", "text", "--data", train, "--test", test, "--out", model, "--json"])
        let metrics = try JSONDecoder().decode([String: JSONValue].self, from: Data(printed.utf8))
        #expect(try #require(metrics["f1"]?.number) > 0.8)
        #expect(try WarmArchive.readManifest(path: model).data?.split.contains("test \(test)") == true)
        let hamOnly = Fixtures.temporary("ham.tsv")
        try "ham\tsee you later\nham\tlunch tomorrow\n".write(toFile: hamOnly, atomically: true, encoding: .utf8)
        let (status, stderr) = try runWarmstart(["classify", "train", "--task", "text", "--data", train, "--test", hamOnly])
        #expect(status == 1 && stderr.contains("the test part has no example of label 'spam'"), "\(stderr)")
    }

    @Test("pretrain word2vec --labelled reads only the training part's texts: a word only in the test part is not in the archive")
    func labelledPretraining() throws {
        let file = try Fixtures.labelledText(count: 120, seed: 31)
        var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let labels = try LabelledTexts.readTabSeparated(path: file).labels  // label ids as the classifier numbers them
        let (_, _, test) = IndexSplit.fitValidationTest(count: lines.count, labels: labels, seed: 0)
        lines[test[0]] += " zyzzyva"  // a word only a test message has
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let archive = Fixtures.temporary("labelled.warm")
        _ = try run(["pretrain", "word2vec", "--data", file, "--labelled", "--dim", "8", "--min-count", "1", "--epochs", "1", "--threads", "1", "--out", archive])
        let keys = try KeyedEmbeddings(try WarmArchive.read(path: archive)).keys
        #expect(!keys.contains("zyzzyva") && keys.contains("prize"))
        let plain = Fixtures.temporary("plain.warm")
        _ = try run(["pretrain", "word2vec", "--data", file, "--dim", "8", "--min-count", "1", "--epochs", "1", "--threads", "1", "--out", plain])
        #expect(try KeyedEmbeddings(try WarmArchive.read(path: plain)).keys.contains("zyzzyva"))
    }
}
