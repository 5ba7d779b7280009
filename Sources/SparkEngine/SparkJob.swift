import Datasets
import Downstream
import Pretraining

/// One pretraining job for Spark: which model, on which interactions file,
/// with which settings. The settings mirror the local trainers' (the same
/// W2 / W8 defaults); what MLlib does differently is recorded in the
/// archive (`differences`).
public struct SparkJob: Sendable {
    /// The models Spark trains.
    public enum Kind: String, Sendable, CaseIterable {
        /// MLlib ALS with implicit preferences: every training pair a positive of confidence 1 + alpha.
        case als
        /// MLlib Word2Vec over each user's ordered training sequence.
        case item2vec
        /// MLlib Word2Vec over sessions cut at a time gap.
        case sessions
    }

    /// MLlib's L2 weight for implicit ALS, chosen on ml-100k's validation
    /// targets (MLlib multiplies it by each row's number of pairs).
    public static let defaultRegularization: Float = 0.01

    /// The model to train.
    public var kind: Kind
    /// The interactions: ml-100k, a local file, or a URI Spark reads (`hdfs://…`, `s3a://…`).
    public var data: DataSource
    /// The run's seed.
    public var seed: UInt64
    /// ALS: factors, sweeps and the confidence alpha.
    public var factors = 64, iterations = 15, alpha: Float = ALSConfig().alpha
    /// ALS: MLlib's `regParam`.
    public var regularization = SparkJob.defaultRegularization
    /// Word2Vec: vector width, window, minimum count, passes and starting learning rate (W2's).
    public var dimension = 64, window = 5, minimumCount = 1, epochs = 20, learningRate: Float = 0.025
    /// Sessions: cut at gaps longer than this many seconds.
    public var gap: Double = 1800

    /// An ALS job with `config`'s factors, sweeps, alpha and seed.
    public static func als(_ data: DataSource, config: ALSConfig = ALSConfig(), regularization: Float = SparkJob.defaultRegularization) -> SparkJob {
        var job = SparkJob(kind: .als, data: data, seed: config.seed)
        job.factors = config.factors; job.iterations = config.iterations; job.alpha = config.alpha; job.regularization = regularization
        return job
    }

    /// A Word2Vec job (`item2vec` or `sessions`) with `config`'s width, window, minimum count, passes, learning rate and seed.
    public static func word2vec(_ kind: Kind, _ data: DataSource, config: SkipGramConfig = .w2, gap: Double = 1800) -> SparkJob {
        var job = SparkJob(kind: kind, data: data, seed: config.seed)
        job.dimension = config.dimension; job.window = config.window; job.minimumCount = config.minimumCount
        job.epochs = config.epochs; job.learningRate = config.startLearningRate; job.gap = gap
        return job
    }

    /// The job script's arguments for this job on `layout`, writing into `folder`.
    public func arguments(layout: SparkDataLayout, folder: String, partitions: Int) -> [String] {
        var args = ["--job", kind.rawValue, "--data", layout.uri, "--out", folder, "--delimiter", layout.delimiter,
                    "--header", layout.header ? "yes" : "no", "--user", layout.user, "--item", layout.item, "--seed", String(seed)]
        if let rating = layout.rating { args += ["--rating", rating] }
        if let timestamp = layout.timestamp { args += ["--timestamp", timestamp] }
        switch kind {
        case .als:
            args += ["--factors", String(factors), "--iterations", String(iterations), "--alpha", String(alpha), "--regularization", String(regularization)]
        case .item2vec, .sessions:
            args += ["--dim", String(dimension), "--window", String(window), "--min-count", String(minimumCount), "--epochs", String(epochs),
                     "--learning-rate", String(learningRate), "--partitions", String(partitions), "--gap", String(gap)]
        }
        return args
    }
}

/// How the Spark job reads an interactions file: the same rules as
/// `InteractionFiles` (a RecBole `.inter`, MovieLens `u.data` or `.csv`,
/// or any delimited file with a header and `--columns`).
public struct SparkDataLayout: Equatable, Sendable {
    /// The path or URI Spark reads.
    public var uri: String
    /// One-character field delimiter.
    public var delimiter: String
    /// Whether the first line names the columns.
    public var header: Bool
    /// Columns: header names, or 0-based positions without a header.
    public var user: String, item: String, rating: String?, timestamp: String?

    /// True when `name` is a URI (`hdfs://`, `s3a://`, `file://` …): Spark
    /// alone reads it. A plain path (or ml-100k) is also read here, to check
    /// Spark's split against Warmstart's and to measure the archive.
    public static func isRemote(_ name: String) -> Bool { name.contains("://") }

    /// The layout of `source` at `path` (its file, or its URI).
    public init(_ source: DataSource, path: String) throws {
        uri = path
        guard source.order.isEmpty else {
            throw SparkError.unsupported("\(source.name): --order is not supported with --engine spark; give a timestamp column")
        }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        if let columns = source.columns {
            guard (2...4).contains(columns.count) else {
                throw SparkError.unsupported("\(source.name): --columns takes user,item[,rating[,timestamp]]")
            }
            let given = source.delimiter.map { $0 == "\\t" ? "\t" : $0 } ?? (file.hasSuffix(".csv") ? "," : "\t")
            guard given.count == 1 else { throw SparkError.unsupported("\(source.name): --delimiter takes one character") }
            delimiter = given; header = true
            user = columns[0]; item = columns[1]; rating = columns.count > 2 ? columns[2] : nil; timestamp = columns.count > 3 ? columns[3] : nil
        } else if file.hasSuffix(".inter") {
            delimiter = "\t"; header = true; user = "user_id"; item = "item_id"; rating = "rating"; timestamp = "timestamp"
        } else if file == "u.data" {
            delimiter = "\t"; header = false; user = "0"; item = "1"; rating = "2"; timestamp = "3"
        } else if file.hasSuffix(".csv") {
            delimiter = ","; header = true; user = "userId"; item = "movieId"; rating = "rating"; timestamp = "timestamp"
        } else {
            throw SparkError.unsupported("\(source.name): give its columns with --columns user,item[,rating[,timestamp]]")
        }
    }
}
