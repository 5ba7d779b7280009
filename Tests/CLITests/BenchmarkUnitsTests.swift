import Autograd
import Benchmarks
import Datasets
import Foundation
import Testing

/// A speed ratio means something only when both sides count the same work:
/// on a small fixture laid out like the public data, Warmstart's units per
/// epoch for each workload equal what the reference script counts
/// (`--count-only`, which needs neither torch nor gensim), on the split files
/// `warmstart datasets split` writes for the references.
@Suite("Benchmarks: Warmstart and the references count the same units per epoch")
struct BenchmarkUnitsTests {
    static let references = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("benchmarks/reference").path

    /// A cache folder with small ml-100k, sms-spam and kjv files: users
    /// with 1 to 70 events (so windows are both padded and cut), repeated
    /// items, ties in time; messages of both labels; verses with rare words.
    private func fixtureCache() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-units-\(UUID().uuidString)").path
        for folder in ["ml-100k", "sms-spam", "kjv"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        var rng = SeededGenerator(seed: 11)
        var inter = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for user in 1...40 {
            for event in 0..<(1 + (user * 7) % 70) {
                inter += "\(user)\t\(1 + rng.nextInt(below: 60))\t\(1 + rng.nextInt(below: 5))\t\(880_000_000 + event / 2)\n"
            }
        }
        try inter.write(toFile: root + "/ml-100k/ml-100k.inter", atomically: true, encoding: .utf8)
        let items = (1...60).map { "\($0)\tMovie \($0)\t1995\tDrama" }.joined(separator: "\n")
        try ("item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n" + items + "\n")
            .write(toFile: root + "/ml-100k/ml-100k.item", atomically: true, encoding: .utf8)
        let words = ["win", "free", "call", "now", "hello", "see", "you", "later", "prize", "text", "ok", "home"]
        let sms = (0..<90).map { k -> String in
            let text = (0..<(2 + k % 9)).map { _ in words[rng.nextInt(below: words.count)] }.joined(separator: " ")
            return (k % 3 == 0 ? "spam" : "ham") + "\t" + text + (k % 4 == 0 ? " 0800-\(k)!" : "")
        }
        try (sms.joined(separator: "\n") + "\n").write(toFile: root + "/sms-spam/spam_collection.csv", atomically: true, encoding: .utf8)
        let verses = (0..<120).map { k in
            (0..<(3 + k % 11)).map { _ in words[rng.nextInt(below: words.count)] + (rng.nextInt(below: 9) == 0 ? "\(k)" : "") }
                .joined(separator: rng.nextInt(below: 2) == 0 ? " " : ", ")
        }
        try (verses.joined(separator: "\n") + "\n").write(toFile: root + "/kjv/kjv.txt", atomically: true, encoding: .utf8)
        return root
    }

    /// The reference's `--count-only` figure.
    private func referenceCount(_ arguments: [String]) throws -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments + ["--count-only"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return json?["units_per_epoch"] as? Int
    }

    @Test("W1 to W6 and W8 on the fixture")
    func sameUnits() throws {
        let cache = try fixtureCache()
        let splits = cache + "/splits"
        for (kind, folder) in [("ratings", "ratings"), ("leave-last-out", "loo")] {
            #expect(try runWarmstart(["datasets", "split", "ml-100k", "--kind", kind, "--out", "\(splits)/\(folder)", "--data-dir", cache]).status == 0)
        }
        #expect(try runWarmstart(["datasets", "split", "sms-spam", "--out", splits + "/sms", "--data-dir", cache]).status == 0)
        let script = { (name: String) in Self.references + "/" + name }
        let cases: [(String, [String])] = [
            ("W1", [script("torch_mf_w1.py"), splits + "/ratings"]),
            ("W2", [script("gensim_item2vec_w2.py"), cache + "/ml-100k/ml-100k.inter"]),
            ("W3", [script("gensim_word2vec_w3.py"), cache + "/kjv/kjv.txt"]),
            ("W4", [script("torch_spam_w4.py"), splits + "/sms"]),
            ("W5", [script("torch_nextitem_w5_w6.py"), splits + "/loo", "--model", "gru"]),
            ("W6", [script("torch_nextitem_w5_w6.py"), splits + "/loo", "--model", "sasrec"]),
            ("W8", [script("implicit_als_w8.py"), splits + "/loo"]),
        ]
        for (workload, arguments) in cases {
            let ours = try WorkloadBenchmarks.unitsPerEpoch(workload, cache: DataCache(root: cache))
            let theirs = try referenceCount(arguments)
            #expect(ours > 0 && theirs == ours, "\(workload): Warmstart counts \(ours), the reference \(String(describing: theirs))")
        }
    }
    @Test("W2, W5 and W6 on another interactions file (a W7 log) count what the reference counts on it or its split; other workloads refuse a file")
    func sameUnitsOnAnotherLog() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-units-log-\(UUID().uuidString)").path
        let log = root + "/w7.inter", split = root + "/loo"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(try runWarmstart(["datasets", "synth", "--users", "60", "--items", "900", "--events", "3000", "--seed", "3", "--out", log]).status == 0)
        #expect(try runWarmstart(["datasets", "split", log, "--kind", "leave-last-out", "--out", split]).status == 0)
        for (workload, model) in [("W5", "gru"), ("W6", "sasrec")] {
            let ours = try WorkloadBenchmarks.unitsPerEpoch(workload, dataFile: log)
            let theirs = try referenceCount([Self.references + "/torch_nextitem_w5_w6.py", split, "--model", model])
            #expect(ours > 0 && theirs == ours, "\(workload): Warmstart counts \(ours), the reference \(String(describing: theirs))")
        }
        let tokens = try WorkloadBenchmarks.unitsPerEpoch("W2", dataFile: log)
        let gensimTokens = try referenceCount([Self.references + "/gensim_item2vec_w2.py", log])
        #expect(tokens > 0 && gensimTokens == tokens, "W2: Warmstart counts \(tokens), gensim's script \(String(describing: gensimTokens))")
        #expect(throws: (any Error).self) { try WorkloadBenchmarks.run("W3", quick: true, dataFile: log) }
        let refused = try runWarmstart(["bench", "W1", "--data", log, "--quick"])
        #expect(refused.status != 0 && refused.stderr.contains("W2, W5, W6 or W7"), "\(refused.stderr)")
    }

    @Test("W5 with the popularity-sampled softmax (as compare.py --loss popular runs it): the same units, the loss in its name, an HR@10 above chance; other workloads refuse a loss")
    func sampledLossOnAnotherLog() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-units-loss-\(UUID().uuidString)").path
        let log = root + "/w7.inter"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try runWarmstart(["datasets", "synth", "--users", "300", "--items", "400", "--events", "12000", "--seed", "5", "--out", log]).status == 0)
        let full = try WorkloadBenchmarks.run("W5", quick: true, epochs: 3, dataFile: log)
        let sampled = try WorkloadBenchmarks.run("W5", quick: true, epochs: 3, dataFile: log, loss: .popularitySampled(negatives: 16))
        #expect(sampled.name.contains("sampled-popular-16") && !full.name.contains("sampled"), "\(sampled.name) / \(full.name)")
        #expect(sampled.quality?["units_per_epoch"] == full.quality?["units_per_epoch"])
        #expect((sampled.quality?["test_hr@10"] ?? 0) > 3 * 10.0 / 400, "HR@10 \(String(describing: sampled.quality?["test_hr@10"])) against chance 0.025")
        let refused = try runWarmstart(["bench", "W2", "--loss", "popular", "--quick"])
        #expect(refused.status != 0 && refused.stderr.contains("W5 or W6 alone"), "\(refused.stderr)")
        let unknown = try runWarmstart(["bench", "W5", "--loss", "softmax", "--quick"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown loss softmax"), "\(unknown.stderr)")
    }
}
