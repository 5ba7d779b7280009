import Archive
import Datasets
import FileIO
import Foundation

/// Interactions ready for a runner, with what an archive records about them.
public struct LoadedInteractions {
    /// The events.
    public var data: Interactions
    /// Titles and genres of the items, when the source has them.
    public var catalog: ItemCatalog?
    /// A display name (the dataset's, or the file's).
    public var name: String
    /// SHA-256 of the file read.
    public var fingerprint: String

    /// Provenance for an archive made from these interactions with `split`.
    public func provenance(split: String) -> ArchiveManifest.DataProvenance { .init(name: name, fingerprint: fingerprint, split: split) }
}

/// Lines of text ready for word2vec, with what an archive records about them.
public struct LoadedText {
    /// The lines.
    public var lines: [String]
    /// A display name (joined with " + " for several sources).
    public var name: String
    /// SHA-256 of each file read, joined with "+".
    public var fingerprint: String
}

/// The one registry of data sources: every command that takes `--data`
/// (pretraining, next-item, datasets) and users' own code load data here.
public struct DataSource: Sendable {
    /// A public dataset's name (ml-100k, sms-spam, kjv) or a file path.
    public var name: String
    /// A delimited interactions file's columns: user, item[, rating[, timestamp]] (header names).
    public var columns: [String]?
    /// The field delimiter of a delimited file (nil: tab, or comma for .csv).
    public var delimiter: String?
    /// Columns that order the events when no single column does (see `InteractionColumns.order`).
    public var order: [String] = []
    /// Text from a labelled file (label<TAB>text): only the training part
    /// of the classifier's split with this seed, without labels, so its
    /// test texts never reach pretraining (nil: a plain-text file).
    public var labelledSplitSeed: UInt64?
    /// Where the public data is cached.
    public var cache: DataCache

    /// The source `name`, reading public data from `cache` (default: `DataCache.defaultCache()`).
    public init(_ name: String, columns: [String]? = nil, delimiter: String? = nil, cache: DataCache = .defaultCache()) {
        self.name = name
        self.columns = columns
        self.delimiter = delimiter
        self.cache = cache
    }

    /// Interactions: ml-100k, or a file (RecBole `.inter` with its `.item`
    /// catalogue beside it, MovieLens `u.data` / `ratings.csv`, or any
    /// delimited file with `columns`).
    public func interactions() throws -> LoadedInteractions {
        if name == "ml-100k" {
            let (inter, catalog) = try PublicDatasets.movieLens100K(cache: cache)
            return LoadedInteractions(data: inter, catalog: catalog, name: name, fingerprint: try SHA256Stream.file(inter.source))
        }
        try Self.checkFile(name, known: "ml-100k")
        let loaded = try InteractionFiles.read(path: name, columns: columns, delimiter: delimiter, order: order)
        let itemFile = name.replacingOccurrences(of: ".inter", with: ".item")
        let catalog = name.hasSuffix(".inter") && FileManager.default.fileExists(atPath: itemFile) ? try? ItemCatalog.readRecBole(path: itemFile) : nil
        return LoadedInteractions(data: loaded, catalog: catalog, name: (name as NSString).lastPathComponent, fingerprint: try SHA256Stream.file(name))
    }

    /// Lines of text: kjv, sms-spam (the spam task's training texts without
    /// labels, so test messages never reach pretraining), or a plain-text file.
    public func textLines() throws -> LoadedText {
        switch name {
        case "kjv": return LoadedText(lines: try PublicDatasets.kjv(cache: cache), name: name, fingerprint: try SHA256Stream.file(cache.path("kjv/kjv.txt")))
        case "sms-spam":
            let sms = try PublicDatasets.smsSpam(cache: cache)
            return LoadedText(lines: Self.trainingTexts(sms, seed: 0), name: "sms-spam (training texts, no labels)", fingerprint: try SHA256Stream.file(sms.source))
        default:
            try Self.checkFile(name, known: "kjv, sms-spam")
            let file = (name as NSString).lastPathComponent
            if let seed = labelledSplitSeed {
                return LoadedText(lines: Self.trainingTexts(try LabelledTexts.readTabSeparated(path: name), seed: seed),
                                  name: "\(file) (training texts of split seed \(seed), no labels)", fingerprint: try SHA256Stream.file(name))
            }
            return LoadedText(lines: try PlainText.readLines(path: name), name: file, fingerprint: try SHA256Stream.file(name))
        }
    }

    /// The texts of the training part (fit and validation) of the classifier's split with `seed`.
    static func trainingTexts(_ data: LabelledTexts, seed: UInt64) -> [String] {
        let (fit, validation, _) = ClassificationTask.splitIndices(labels: data.labels, seed: seed)
        return (fit + validation).sorted().map { data.texts[$0] }
    }

    /// The lines of several text sources, in order, as one corpus.
    public static func textLines(_ sources: [DataSource]) throws -> LoadedText {
        var joined = LoadedText(lines: [], name: "", fingerprint: "")
        for (k, source) in sources.enumerated() {
            let more = try source.textLines()
            joined.lines += more.lines
            joined.name += (k == 0 ? "" : " + ") + more.name
            joined.fingerprint += (k == 0 ? "" : "+") + more.fingerprint
        }
        return joined
    }

    /// Counts for `datasets info`: a public dataset, an interactions file
    /// (when `columns` are given or its name says so: `.inter`, `u.data`,
    /// `.csv`), else a labelled text file (label<TAB>text).
    public func summary() throws -> DatasetSummary {
        switch name {
        case "ml-100k": return DatasetSummary(try interactions().data)
        case "sms-spam": return DatasetSummary(try PublicDatasets.smsSpam(cache: cache))
        case "kjv": return DatasetSummary(lines: try PublicDatasets.kjv(cache: cache), source: name)
        default:
            guard columns != nil || InteractionFiles.isKnownByName(name) else { return DatasetSummary(try LabelledTexts.readTabSeparated(path: name)) }
            return DatasetSummary(try interactions().data)
        }
    }

    /// Refuses a missing path or a folder, naming the public datasets `known`.
    private static func checkFile(_ path: String, known: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw DatasetError.unreadable(file: path, message: "no such file, and not a dataset name (\(known))")
        }
        guard !isFolder.boolValue else { throw DatasetError.unreadable(file: path, message: "is a folder; give the data file inside it") }
    }
}
