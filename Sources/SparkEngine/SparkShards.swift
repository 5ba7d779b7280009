import Archive
import Autograd
import FileIO
import Foundation

/// `job.json`, the record a Spark job writes last into its shard folder.
public struct SparkJobRecord: Decodable, Sendable {
    /// One shard: a `.npy` block of rows and its `.keys` lines (key, training count, first row in the file).
    public struct Shard: Decodable, Sendable {
        /// `vectors` (items) or `users`.
        public var table: String
        /// The Spark partition that wrote it.
        public var index: Int
        /// Rows in the shard.
        public var rows: Int
        /// File names inside the folder.
        public var npy: String, keys: String
        /// SHA-256 of each file as the executor wrote it.
        public var npySha256: String, keysSha256: String
    }

    /// Counts of the leave-last-out split Spark built (checked against Warmstart's own).
    public struct SplitCounts: Decodable, Sendable, Equatable {
        /// Events read, users, training events, validation and test targets.
        public var rows: Int, users: Int, trainEvents: Int, validationTargets: Int, testTargets: Int
        /// Sum over test targets of the first 4 bytes (big-endian) of SHA-256("user<TAB>item").
        public var testChecksum: Int
    }

    /// Always `warmstart-spark-shards`.
    public var format: String
    /// The record's version (1).
    public var formatVersion: Int
    /// `als`, `item2vec` or `sessions`.
    public var job: String
    /// The Spark that ran the job, and where.
    public var sparkVersion: String, master: String, applicationId: String
    /// The data read.
    public var data: String
    /// Every parameter the job was given.
    public var parameters: [String: JSONValue]
    /// The split's counts.
    public var split: SplitCounts
    /// Corpus or pair counts.
    public var corpus: [String: Int]
    /// Where MLlib's model differs from Warmstart's local trainer.
    public var differences: [String]
    /// Seconds in MLlib's fit, and in the whole job (read, split, fit, write).
    public var trainSeconds: Double, jobSeconds: Double
    /// The shards.
    public var shards: [Shard]
}

/// One table packed from shards: rows in the order their keys first appear
/// in the data file (the order Warmstart's own vocabularies have).
public struct PackedTable: Sendable {
    /// Row keys.
    public var keys: [String]
    /// Training events per key.
    public var counts: [Int]
    /// The rows, `[keys.count, width]`.
    public var vectors: Tensor
}

/// Reads and checks a Spark job's shard folder: every shard listed and
/// present, with the digest the executor recorded, rows matching keys,
/// one width, finite values, no key twice.
public enum SparkShards {
    /// The largest `job.json` read (a listing, not data).
    static let recordLimit = 64 << 20

    /// The folder's record and its tables by name.
    public static func read(folder: String) throws -> (record: SparkJobRecord, tables: [String: PackedTable]) {
        let path = folder + "/job.json"
        let record = try decodeRecord(path)
        var tables: [String: PackedTable] = [:]
        for table in Set(record.shards.map(\.table)).sorted() {
            tables[table] = try pack(record.shards.filter { $0.table == table }, folder: folder)
        }
        guard tables["vectors"] != nil else { throw SparkError.badShards(file: path, message: "lists no shards of table vectors") }
        return (record, tables)
    }

    private static func decodeRecord(_ path: String) throws -> SparkJobRecord {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            throw SparkError.badShards(file: path, message: "missing: the job did not finish (a finished job writes it last)")
        }
        guard size <= recordLimit else { throw SparkError.badShards(file: path, message: "\(size) bytes; a job record is at most \(recordLimit)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let record: SparkJobRecord
        do { record = try decoder.decode(SparkJobRecord.self, from: try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw SparkError.badShards(file: path, message: "not a Spark job record: \(error)")
        }
        guard record.format == "warmstart-spark-shards", record.formatVersion == 1 else {
            throw SparkError.badShards(file: path, message: "format \(record.format) version \(record.formatVersion); this build reads warmstart-spark-shards version 1")
        }
        return record
    }

    /// One table's shards as rows ordered by first appearance.
    private static func pack(_ shards: [SparkJobRecord.Shard], folder: String) throws -> PackedTable {
        var entries: [(key: String, count: Int, first: Int, shard: Int, row: Int)] = []
        var blocks: [Tensor] = []
        for (s, shard) in shards.enumerated() {
            for name in [shard.npy, shard.keys] where name.contains("/") || name.hasPrefix(".") {
                throw SparkError.badShards(file: folder + "/job.json", message: "shard name \(name) leaves the folder")
            }
            let npyPath = folder + "/" + shard.npy, keysPath = folder + "/" + shard.keys
            try checkDigest(npyPath, expected: shard.npySha256)
            try checkDigest(keysPath, expected: shard.keysSha256)
            let (block, _) = try NpyFile.read(path: npyPath)
            guard block.rank == 2, block.shape[0] == shard.rows, block.shape[1] > 0 else {
                throw SparkError.badShards(file: npyPath, message: "shape \(block.shape); job.json lists \(shard.rows) rows")
            }
            if let width = blocks.first?.shape[1], width != block.shape[1] {
                throw SparkError.badShards(file: npyPath, message: "rows of width \(block.shape[1]); the other shards have \(width)")
            }
            guard block.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) else {
                throw SparkError.badShards(file: npyPath, message: "holds values that are not finite (NaN or infinity)")
            }
            let lines = try String(contentsOfFile: keysPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            guard lines.count == shard.rows else {
                throw SparkError.badShards(file: keysPath, message: "\(lines.count) lines for \(shard.rows) rows")
            }
            for (row, line) in lines.enumerated() {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count == 3, !fields[0].isEmpty, let count = Int(fields[1]), let first = Int(fields[2]) else {
                    throw SparkError.badShards(file: "\(keysPath):\(row + 1)", message: "expected key<TAB>count<TAB>first row")
                }
                entries.append((String(fields[0]), count, first, s, row))
            }
            blocks.append(block)
        }
        var seen = Set<String>()
        for entry in entries where !seen.insert(entry.key).inserted {
            throw SparkError.badShards(file: folder + "/job.json", message: "key \(entry.key.debugDescription) appears twice")
        }
        entries.sort { $0.first < $1.first }
        let width = blocks[0].shape[1]
        var vectors = Tensor(uninitializedShape: [entries.count, width])
        vectors.withUnsafeMutableBufferPointer { out in
            for (k, entry) in entries.enumerated() {
                blocks[entry.shard].withUnsafeBufferPointer { block in
                    for j in 0..<width { out[k * width + j] = block[entry.row * width + j] }
                }
            }
        }
        return PackedTable(keys: entries.map(\.key), counts: entries.map(\.count), vectors: vectors)
    }

    private static func checkDigest(_ path: String, expected: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw SparkError.badShards(file: path, message: "missing (listed in job.json)") }
        let actual = try SHA256Stream.file(path)
        guard actual == expected else {
            throw SparkError.badShards(file: path, message: "SHA-256 is \(actual), the job recorded \(expected): the shard changed after it was written")
        }
    }
}
