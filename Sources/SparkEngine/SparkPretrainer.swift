import Archive
import Autograd
import Datasets
import Downstream
import Foundation
import Pretraining

/// What a Spark pretraining run produced: an ordinary archive, and the
/// figures Warmstart measured on it when the data is a local file.
public struct SparkRunResult: Sendable {
    /// The archive's contents (write with `WarmArchive.write`).
    public var contents: ArchiveContents
    /// The job's own record (Spark version, master, counts, seconds).
    public var record: SparkJobRecord
    /// Test and validation figures by the local trainer's protocol (W2 for Word2Vec, W8 for ALS); empty for remote data.
    public var metrics: [String: JSONValue]
    /// Seconds from spark-submit to the packed archive (JVM start-up included).
    public var wallSeconds: Double
    /// Titles and genres of the items, when the local data has them.
    public var catalog: ItemCatalog?
}

/// Pretrains on Apache Spark: `warmstart pretrain als|item2vec|sessions
/// --engine spark` and users' own code call this. The job reads the file
/// (or URI), builds the same leave-last-out training part, trains MLlib
/// ALS or Word2Vec, and writes shards from the executors; this packs them
/// into an archive with the engine, Spark version, master, every parameter
/// and the data fingerprint, then (local data) checks Spark's split against
/// Warmstart's own and evaluates the archive as a local one.
public enum SparkPretrainer {
    /// Runs `job` with `settings`; `note` hears progress.
    public static func run(_ job: SparkJob, settings: SparkSettings = SparkSettings(), note: (String) -> Void = { _ in }) throws -> SparkRunResult {
        let started = Date()
        let remote = SparkDataLayout.isRemote(job.data.name)
        let local: LoadedInteractions? = remote ? nil : try job.data.interactions()
        let path = job.data.name == "ml-100k" ? local!.data.source : job.data.name
        let layout = try SparkDataLayout(job.data, path: path)
        let work = NSTemporaryDirectory() + "warmstart-spark-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let shards = settings.shardFolder ?? work + "/shards"
        if FileManager.default.fileExists(atPath: shards + "/job.json") {
            throw SparkError.unsupported("\(shards) already holds a finished job's shards; give an empty folder")
        }
        try SparkSubmit.run(arguments: job.arguments(layout: layout, folder: shards, partitions: settings.word2vecPartitions),
                            name: "warmstart-\(job.kind.rawValue)", settings: settings, workFolder: work, note: note)
        let (record, tables) = try SparkShards.read(folder: shards)
        guard record.job == job.kind.rawValue, let items = tables["vectors"] else {
            throw SparkError.badShards(file: shards + "/job.json", message: "a \(record.job) job's shards, not \(job.kind.rawValue)")
        }
        var metrics: [String: JSONValue] = [:]
        if let local { metrics = try SparkEvaluation.measure(job.kind, tables: tables, record: record, data: local) }
        metrics["spark_train_seconds"] = .number(record.trainSeconds)
        metrics["spark_job_seconds"] = .number(record.jobSeconds)
        let name = local?.name ?? job.data.name
        let provenance = ArchiveManifest.DataProvenance(name: name, fingerprint: local?.fingerprint ?? "not computed: read by Spark from \(job.data.name)",
                                                        split: "leave-last-out train")
        let contents = archive(job.kind, items: items, users: tables["users"], record: record, metrics: metrics, seed: job.seed, data: provenance)
        if settings.shardFolder == nil { try? FileManager.default.removeItem(atPath: work) }
        return SparkRunResult(contents: contents, record: record, metrics: metrics, wallSeconds: Date().timeIntervalSince(started),
                              catalog: local?.catalog)
    }

    /// Packs the shard folder of a job submitted by hand (`spark-submit
    /// warmstart_spark.py …` on a cluster) into an archive: the same checks
    /// and provenance as `run`, without the local measurement (the data is
    /// Spark's alone, so its fingerprint is recorded as not computed).
    public static func pack(folder: String) throws -> ArchiveContents {
        let (record, tables) = try SparkShards.read(folder: folder)
        guard let kind = SparkJob.Kind(rawValue: record.job), let items = tables["vectors"] else {
            throw SparkError.badShards(file: folder + "/job.json", message: "job \(record.job.debugDescription) is not als, item2vec or sessions")
        }
        let metrics: [String: JSONValue] = ["spark_train_seconds": .number(record.trainSeconds), "spark_job_seconds": .number(record.jobSeconds)]
        let data = ArchiveManifest.DataProvenance(name: record.data, fingerprint: "not computed: read by Spark from \(record.data)", split: "leave-last-out train")
        return archive(kind, items: items, users: tables["users"], record: record, metrics: metrics,
                       seed: UInt64(record.parameters["seed"]?.number ?? 0), data: data)
    }

    /// The archive: item rows as `vectors` (users as `users` for ALS), the
    /// job's parameters with the engine, Spark version and master.
    public static func archive(_ kind: SparkJob.Kind, items: PackedTable, users: PackedTable?, record: SparkJobRecord, metrics: [String: JSONValue],
                        seed: UInt64, data: ArchiveManifest.DataProvenance) -> ArchiveContents {
        var hyper = record.parameters
        hyper["engine"] = "spark"
        hyper["spark_version"] = .string(record.sparkVersion)
        hyper["spark_master"] = .string(record.master)
        hyper["spark_application"] = .string(record.applicationId)
        hyper["differences"] = .array(record.differences.map { .string($0) })
        let manifest = ArchiveManifest(kind: "embeddings", method: kind.rawValue, hyperparameters: hyper, seed: seed, threads: 1, data: data)
        var tensors = ["vectors": items.vectors]
        if let users { tensors["users"] = users.vectors }
        let card = EmbeddingArchiveBuilder.modelCard(method: kind.rawValue, rows: items.keys.count, dimension: items.vectors.shape[1], data: data,
                                                     hyperparameters: hyper)
            + "\n\n## Engine\n\nTrained on Apache Spark \(record.sparkVersion) (master \(record.master)) by Warmstart's Spark job; rows in the order their keys first appear in the data file.\n"
        return ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: items.keys, counts: items.counts), tensors: tensors,
                               metrics: .object(metrics), modelCard: card)
    }
}
