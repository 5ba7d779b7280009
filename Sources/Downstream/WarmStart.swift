import Archive
import Autograd
import Layers

/// How a downstream model's embedding table starts.
public enum StartMode: String, Sendable, Codable, CaseIterable {
    /// Drawn at random; the archive is not used.
    case random
    /// Pretrained rows loaded and never trained; rows the archive lacks train.
    case frozen
    /// Pretrained rows loaded and trained with the rest.
    case finetuned
    /// As finetuned, with pretrained rows at a smaller learning rate.
    case finetunedSlow = "finetuned-slow"
    /// Gradual unfreezing (ULMFiT): the whole table frozen for the first
    /// half of training, so the layers above learn to read the pretrained
    /// rows, then fine-tuned with the rest.
    case gradual

    /// The start a run takes: `asked`, else `recommended` when there is an
    /// archive and random when there is none.
    public static func chosen(_ asked: StartMode?, archive: Bool, recommended: StartMode) -> StartMode {
        asked ?? (archive ? recommended : .random)
    }
}

/// What the rows a task needs but the archive lacks start as.
public enum MissingKeyPolicy: String, Sendable, Codable, CaseIterable {
    /// N(0, σ²) with σ the pretrained rows' standard deviation.
    case random
    /// The mean of the pretrained rows.
    case mean
    /// Zeros.
    case zero
}

/// How pretrained rows are scaled before a model starts from them.
/// Pretrained tables are often several times larger than a fresh one
/// (word2vec rows: std about 0.3 against a fresh table's 0.1), and a table
/// that starts too large moves slowly at the same learning rate.
public enum RescalePolicy: String, Sendable, Codable, CaseIterable {
    /// Match the random start's distribution, N(0, σ² I): subtract the
    /// pretrained rows' mean vector, whiten them (ZCA: every direction the
    /// same variance; word2vec tables put most of theirs in one or two
    /// directions that all rows share), and scale them to the random
    /// start's standard deviation σ. Neighbours stay close, the table stops
    /// being dominated by what all rows have in common.
    case initial = "init"
    /// Scale each pretrained row to length 1.
    case unit
    /// Keep the rows as the archive has them.
    case none
    /// `none`, unless the rows' spread is under half the random start's
    /// (ALS factors: std 0.012 against 0.1), then `initial`: rows that
    /// small leave a model starting near zero.
    case auto

    /// The policy `auto` comes to for rows of standard deviation `archiveStd` against a random start of `randomStd`.
    public func resolved(archiveStd: Float, randomStd: Float) -> RescalePolicy {
        guard self == .auto else { return self }
        return archiveStd < 0.5 * randomStd ? .initial : .none
    }
}

/// The result of lining a task's keys up with an archive's.
public struct WarmStartReport: Sendable, Codable, Equatable {
    /// Task keys (reserved rows excluded).
    public var taskKeys: Int
    /// Task keys found in the archive.
    public var found: Int
    /// found / taskKeys.
    public var coverage: Double { taskKeys == 0 ? 0 : Double(found) / Double(taskKeys) }
    /// The start mode.
    public var mode: StartMode
    /// The policy for missing keys.
    public var missing: MissingKeyPolicy
    /// The pretrained rows' standard deviation in the archive and as the model starts from them (nil for a random start).
    public var archiveStd: Float?, startStd: Float?
    /// One line for logs.
    public var summary: String {
        "warm start \(mode.rawValue): \(found) of \(taskKeys) keys found in the archive (coverage \(String(format: "%.1f", 100 * coverage))%), missing keys start as \(missing.rawValue)"
            + (archiveStd.map { a in String(format: "; pretrained rows std %.3f -> %.3f", a, startStd ?? a) } ?? "")
    }
}

/// Builds embedding tables for a task's keys, warm-started from an archive.
public enum WarmStart {
    /// A table of `keys.count` rows: rows whose key the archive has are
    /// copied from it; others follow `missing`. Reserved rows are not task
    /// keys: the padding row starts at zero, the unknown row by the policy. Row
    /// learning-rate scales implement the mode: frozen → 0 for pretrained
    /// rows, finetunedSlow → `slowScale`. A padding row is never trained.
    /// Dimensions that differ from `dimension` are an error. The archive's
    /// rows are first rescaled as `rescale` says (`.initial`: to `randomStd`).
    public static func embedding(keys: [String], paddingRow: Int?, unknownRow: Int? = nil, archive original: KeyedEmbeddings?, dimension: Int,
                                 mode: StartMode, missing: MissingKeyPolicy = .random, rescale: RescalePolicy = .none, slowScale: Float = 0.1,
                                 randomStd: Float = 0.1, rng: inout SeededGenerator) throws -> (Embedding, WarmStartReport) {
        let reservedRows = Set([paddingRow, unknownRow].compactMap { $0 })
        guard mode != .random, let original else {
            if mode != .random { throw ArchiveError(path: "warm start", "start mode \(mode.rawValue) needs an archive (--init)") }
            let e = Embedding(count: keys.count, dimension: dimension, std: randomStd, paddingIndex: paddingRow, rng: &rng)
            return (e, WarmStartReport(taskKeys: keys.count - reservedRows.count, found: 0, mode: .random, missing: missing))
        }
        guard original.dimension == dimension else {
            throw ArchiveError(path: "warm start",
                "the archive's vectors have dimension \(original.dimension) but the model wants \(dimension); pass the archive's dimension")
        }
        let d = dimension
        let archiveStd = spread(original).std
        let archive = try rescaled(original, rescale.resolved(archiveStd: archiveStd, randomStd: randomStd), to: randomStd)
        let (mean, std) = spread(archive)
        var table = Tensor(zeros: [keys.count, d])
        var scales = [Float](repeating: 1, count: keys.count)
        var found = 0
        table.withUnsafeMutableBufferPointer { t in
            archive.vectors.withUnsafeBufferPointer { v in
                for (row, key) in keys.enumerated() where row != paddingRow {
                    if row != unknownRow, let source = archive.row(of: key) {
                        found += 1
                        for j in 0..<d { t[row * d + j] = v[source * d + j] }
                        scales[row] = mode == .frozen ? 0 : mode == .finetunedSlow ? slowScale : 1
                    } else {
                        for j in 0..<d {
                            switch missing {
                            case .random: t[row * d + j] = std * rng.nextNormal()
                            case .mean: t[row * d + j] = mean[j]
                            case .zero: t[row * d + j] = 0
                            }
                        }
                    }
                }
            }
        }
        let embedding = Embedding(pretrained: table, paddingIndex: paddingRow)
        if let paddingRow { scales[paddingRow] = 0 }
        embedding.table.rowLearningRateScale = scales
        return (embedding, WarmStartReport(taskKeys: keys.count - reservedRows.count, found: found, mode: mode, missing: missing,
                                           archiveStd: archiveStd, startStd: std))
    }
}
