import Archive

/// What `warmstart import` reads: another tool's embeddings in an
/// interchange format, or the shard folder of a Spark job run by hand.
public enum ImportFormat: Sendable, Equatable {
    /// word2vec text or binary, `.npy` + `vocab.tsv`, safetensors, projector TSV.
    case interchange(InterchangeFormat)
    /// A `warmstart_spark.py` job's `--out` folder.
    case sparkShards

    /// The format named `name` (an `InterchangeFormat` raw value, or `spark-shards`).
    public init?(name: String) {
        if name == "spark-shards" { self = .sparkShards; return }
        guard let format = InterchangeFormat(rawValue: name) else { return nil }
        self = .interchange(format)
    }

    /// Packs what is at `path` into archive contents, with notes on any conversion.
    public func archive(from path: String, allowNonFinite: Bool = false) throws -> (ArchiveContents, [String]) {
        switch self {
        case .interchange(let format): return try Interchange.importedArchive(format: format, from: path, allowNonFinite: allowNonFinite)
        case .sparkShards: return (try SparkPretrainer.pack(folder: path), [])
        }
    }
}
