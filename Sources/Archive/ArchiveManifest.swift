import Foundation

/// `manifest.json`: everything needed to trust and use the rest of a `.warm`
/// archive. It is the archive's first entry.
public struct ArchiveManifest: Codable, Sendable, Equatable {
    /// The format name every Warmstart archive carries.
    public static let formatName = "warmstart-archive"
    /// The newest format version this build reads and the one it writes.
    /// Version 2 adds `manifest.sha256`, the manifest's own digest, as the
    /// second entry; version 1 archives (without it) are still read.
    public static let currentVersion = 2

    /// One entry's size and digest.
    public struct Entry: Codable, Sendable, Equatable {
        /// Entry name inside the archive.
        public var name: String
        /// Size in bytes.
        public var size: Int64
        /// SHA-256 of the bytes, lower-case hex.
        public var sha256: String
    }

    /// The data a model was trained on.
    public struct DataProvenance: Codable, Sendable, Equatable {
        /// Dataset name or path.
        public var name: String
        /// SHA-256 of the training data's source file(s).
        public var fingerprint: String
        /// Which part of the data training saw (e.g. "leave-last-out train").
        public var split: String

        /// A provenance record.
        public init(name: String, fingerprint: String, split: String) {
            self.name = name
            self.fingerprint = fingerprint
            self.split = split
        }
    }

    /// Always `warmstart-archive`.
    public var format: String
    /// The format version.
    public var formatVersion: Int
    /// "embeddings" (vocabulary + vectors) or "model" (a downstream model's tensors and config).
    public var kind: String
    /// How the contents were made: "item2vec", "word2vec", "mf-explicit", "classifier" …
    public var method: String
    /// Every hyperparameter of the run.
    public var hyperparameters: [String: JSONValue]
    /// The run's seed.
    public var seed: UInt64
    /// The run's thread count.
    public var threads: Int
    /// Width of the embedding vectors (embeddings kind).
    public var dimensions: Int?
    /// Rows of the embedding matrix (embeddings kind).
    public var rows: Int?
    /// Element type of every tensor: float32.
    public var dtype: String
    /// Byte order of every tensor: little.
    public var byteOrder: String
    /// What the model was trained on.
    public var data: DataProvenance?
    /// Shapes of the tensors, by name (entry `NAME.npy`).
    public var tensors: [String: [Int]]
    /// Size and SHA-256 of every other entry, in archive order.
    public var entries: [Entry]
    /// The Warmstart version that wrote the archive.
    public var toolVersion: String
    /// When the archive was written (ISO 8601).
    public var created: String

    /// A manifest to be completed by the writer (tensors, entries, created).
    public init(kind: String, method: String, hyperparameters: [String: JSONValue] = [:], seed: UInt64, threads: Int,
                data: DataProvenance? = nil, toolVersion: String = WarmstartVersion.string) {
        format = ArchiveManifest.formatName
        formatVersion = ArchiveManifest.currentVersion
        self.kind = kind
        self.method = method
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.threads = threads
        self.data = data
        self.toolVersion = toolVersion
        dtype = "float32"
        byteOrder = "little"
        tensors = [:]
        entries = []
        created = ""
    }

    /// The manifest as sorted, indented JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// The Warmstart release, written into every archive it makes.
public enum WarmstartVersion {
    /// Semantic version of the package.
    public static let string = "0.1.0"
}
