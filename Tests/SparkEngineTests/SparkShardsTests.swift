import Archive
import Autograd
import FileIO
import Foundation
import SparkEngine
import Testing

/// A shard folder written by hand as the job writes it.
struct ShardFolder {
    let path = NSTemporaryDirectory() + "shards-" + UUID().uuidString
    var shards: [[String: Any]] = []

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    /// Writes one shard of `rows` (key, count, first row, vector).
    mutating func add(_ table: String, index: Int, rows: [(String, Int, Int, [Float])]) throws {
        let name = "\(table)-\(String(format: "%05d", index))"
        let width = rows.first?.3.count ?? 1
        try NpyFile.write(Tensor(shape: [rows.count, width], scalars: rows.flatMap(\.3)), to: "\(path)/\(name).npy")
        try Data(rows.map { "\($0.0)\t\($0.1)\t\($0.2)\n" }.joined().utf8).write(to: URL(fileURLWithPath: "\(path)/\(name).keys"))
        shards.append(["table": table, "index": index, "rows": rows.count, "npy": name + ".npy", "keys": name + ".keys",
                       "npy_sha256": try SHA256Stream.file("\(path)/\(name).npy"), "keys_sha256": try SHA256Stream.file("\(path)/\(name).keys")])
    }

    /// Writes job.json listing the shards.
    func finish(format: String = "warmstart-spark-shards") throws {
        let record: [String: Any] = [
            "format": format, "format_version": 1, "job": "als", "spark_version": "4.3.0", "master": "local[2]", "application_id": "local-1",
            "data": "x.inter", "parameters": ["factors": 2], "corpus": ["pairs": 5], "differences": ["a difference"],
            "split": ["rows": 9, "users": 3, "train_events": 3, "validation_targets": 3, "test_targets": 3, "test_checksum": 7],
            "train_seconds": 1.5, "job_seconds": 3.0, "shards": shards]
        try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path + "/job.json"))
    }

    /// The error reading the folder gives, as text (nil: it read).
    func failure() -> String? {
        do { _ = try SparkShards.read(folder: path); return nil } catch { return "\(error)" }
    }
}

@Suite("Packing and checking Spark shards")
struct SparkShardsTests {
    @Test("rows from two shards come back in the order their keys first appear in the file, with counts")
    func ordersByFirstAppearance() throws {
        var folder = try ShardFolder()
        try folder.add("vectors", index: 0, rows: [("b", 4, 30, [1, 2]), ("a", 2, 7, [3, 4])])
        try folder.add("vectors", index: 1, rows: [("c", 1, 12, [5, 6])])
        try folder.finish()
        let (record, tables) = try SparkShards.read(folder: folder.path)
        let table = try #require(tables["vectors"])
        #expect(table.keys == ["a", "c", "b"])
        #expect(table.counts == [2, 1, 4])
        #expect(table.vectors.shape == [3, 2])
        #expect(table.vectors.scalars == [3, 4, 5, 6, 1, 2])
        #expect(record.sparkVersion == "4.3.0" && record.split.trainEvents == 3 && record.split.testChecksum == 7)
    }

    @Test("an archive made from shards records the engine, Spark version, master and parameters")
    func archiveRecordsEngine() throws {
        var folder = try ShardFolder()
        try folder.add("vectors", index: 0, rows: [("a", 2, 0, [1, 0]), ("b", 1, 1, [0, 1])])
        try folder.add("users", index: 0, rows: [("u", 3, 0, [1, 1])])
        try folder.finish()
        let (record, tables) = try SparkShards.read(folder: folder.path)
        let contents = SparkPretrainer.archive(.als, items: tables["vectors"]!, users: tables["users"], record: record, metrics: [:], seed: 3,
                                               data: .init(name: "x.inter", fingerprint: "abc", split: "leave-last-out train"))
        let path = folder.path + "/spark.warm"
        try WarmArchive.write(contents, to: path)
        let back = try WarmArchive.read(path: path)
        #expect(back.manifest.hyperparameters["engine"] == "spark")
        #expect(back.manifest.hyperparameters["spark_version"] == "4.3.0")
        #expect(back.manifest.hyperparameters["spark_master"] == "local[2]")
        #expect(back.manifest.hyperparameters["factors"] == .number(2))
        #expect(back.manifest.data?.fingerprint == "abc" && back.manifest.seed == 3)
        #expect(back.vocabulary?.keys == ["a", "b"] && back.tensors["users"]?.shape == [1, 2])
    }

    @Test("a folder from a job submitted by hand packs into an archive naming the data Spark read, its fingerprint not computed")
    func packsByHand() throws {
        var folder = try ShardFolder()
        try folder.add("vectors", index: 0, rows: [("i", 2, 4, [1, 0]), ("j", 1, 2, [0, 1])])
        try folder.finish()
        let contents = try SparkPretrainer.pack(folder: folder.path)
        #expect(contents.manifest.method == "als" && contents.manifest.data?.name == "x.inter")
        #expect(contents.manifest.data?.fingerprint.hasPrefix("not computed") == true)
        #expect(contents.vocabulary?.keys == ["j", "i"] && contents.vectors?.scalars == [0, 1, 1, 0])
    }

    @Test("an unfinished, changed, incomplete or inconsistent shard folder is refused, naming the file")
    func refusesDamage() throws {
        let unfinished = try ShardFolder()
        #expect(unfinished.failure()?.contains("did not finish") == true)

        var changed = try ShardFolder()
        try changed.add("vectors", index: 0, rows: [("a", 1, 0, [1, 2])])
        try changed.finish()
        try NpyFile.write(Tensor(shape: [1, 2], scalars: [9, 9]), to: changed.path + "/vectors-00000.npy")
        #expect(changed.failure()?.contains("vectors-00000.npy: SHA-256") == true)

        var missing = try ShardFolder()
        try missing.add("vectors", index: 0, rows: [("a", 1, 0, [1, 2])])
        try missing.finish()
        try FileManager.default.removeItem(atPath: missing.path + "/vectors-00000.keys")
        #expect(missing.failure()?.contains("vectors-00000.keys: missing") == true)

        var twice = try ShardFolder()
        try twice.add("vectors", index: 0, rows: [("a", 1, 0, [1, 2])])
        try twice.add("vectors", index: 1, rows: [("a", 1, 5, [3, 4])])
        try twice.finish()
        #expect(twice.failure()?.contains("appears twice") == true)

        var widths = try ShardFolder()
        try widths.add("vectors", index: 0, rows: [("a", 1, 0, [1, 2])])
        try widths.add("vectors", index: 1, rows: [("b", 1, 1, [1, 2, 3])])
        try widths.finish()
        #expect(widths.failure()?.contains("width 3") == true)

        var notFinite = try ShardFolder()
        try notFinite.add("vectors", index: 0, rows: [("a", 1, 0, [1, .nan])])
        try notFinite.finish()
        #expect(notFinite.failure()?.contains("not finite") == true)

        var otherFormat = try ShardFolder()
        try otherFormat.add("vectors", index: 0, rows: [("a", 1, 0, [1, 2])])
        try otherFormat.finish(format: "something-else")
        #expect(otherFormat.failure()?.contains("warmstart-spark-shards version 1") == true)
    }

    @Test("a keys file whose lines disagree with the rows, or are malformed, is refused with its line")
    func refusesBadKeys() throws {
        var short = try ShardFolder()
        try short.add("vectors", index: 0, rows: [("a", 1, 0, [1, 2]), ("b", 1, 1, [3, 4])])
        let keys = short.path + "/vectors-00000.keys"
        try Data("a\t1\t0\n".utf8).write(to: URL(fileURLWithPath: keys))
        short.shards[0]["keys_sha256"] = try SHA256Stream.file(keys)
        try short.finish()
        #expect(short.failure()?.contains("1 lines for 2 rows") == true)

        var malformed = try ShardFolder()
        try malformed.add("vectors", index: 0, rows: [("a", 1, 0, [1, 2])])
        let path = malformed.path + "/vectors-00000.keys"
        try Data("a\tone\t0\n".utf8).write(to: URL(fileURLWithPath: path))
        malformed.shards[0]["keys_sha256"] = try SHA256Stream.file(path)
        try malformed.finish()
        #expect(malformed.failure()?.contains("vectors-00000.keys:1") == true)
    }
}
