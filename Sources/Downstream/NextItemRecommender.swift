import Archive
import Autograd
import Datasets
import Foundation

/// A saved next-item model ready to answer "what next?" for a history of item keys.
public struct NextItemRecommender {
    /// The model.
    public let model: NextItemModel
    /// Its item keys (row 0: padding).
    public let vocabulary: ArchiveVocabulary
    /// The data the model was trained on, as its archive records it.
    public let trainedOn: ArchiveManifest.DataProvenance?
    private let rowOfKey: [String: Int32]

    /// Loads the model archive at `path`.
    public init(path: String) throws {
        (model, vocabulary) = try NextItemArchive.load(path: path)
        trainedOn = try WarmArchive.readManifest(path: path).data
        rowOfKey = Dictionary(uniqueKeysWithValues: vocabulary.keys.enumerated().dropFirst().map { ($0.element, Int32($0.offset)) })
    }

    /// Titles to show beside the keys: the RecBole `.item` file at `path`
    /// (an error when it cannot be read), else ml-100k's from `cache` when
    /// the model was trained on ml-100k and that file is there, else none.
    public func catalog(path: String?, cache: DataCache = .defaultCache()) throws -> ItemCatalog? {
        if let path { return try ItemCatalog.readRecBole(path: path) }
        let movieLens = cache.path("ml-100k/ml-100k.item")
        guard trainedOn?.name == "ml-100k", FileManager.default.fileExists(atPath: movieLens) else { return nil }
        return try ItemCatalog.readRecBole(path: movieLens)
    }

    /// The keys of `history` the model does not know.
    public func unknownKeys(_ history: [String]) -> [String] { history.filter { rowOfKey[$0] == nil } }

    /// The `k` items the model scores highest after `history` (oldest first;
    /// unknown keys are skipped, the last `maxLength` known ones are read),
    /// without the history's own items unless `keepSeen`.
    public func recommend(after history: [String], k: Int, keepSeen: Bool = false) -> [(key: String, score: Float)] {
        let rows = history.compactMap { rowOfKey[$0] }.suffix(model.config.maxLength)
        let padded = Array(repeating: Int32(0), count: model.config.maxLength - rows.count) + rows
        let scores = NextItemTrainer.lastPositionScores(model, histories: [padded]).scalars
        let seen = keepSeen ? Set<Int32>() : Set(rows)
        let order = (1..<scores.count).filter { !seen.contains(Int32($0)) }.sorted { scores[$0] > scores[$1] }.prefix(k)
        return order.map { (vocabulary.keys[$0], scores[$0]) }
    }

    /// Ranked lines for `history`, a comma-separated list of item keys
    /// (oldest first), with notes on what was ignored or is missing;
    /// `strict` refuses unknown keys instead of ignoring them.
    public func lines(forList history: String, k: Int, keepSeen: Bool = false, strict: Bool = false,
                      catalog: ItemCatalog? = nil) throws -> (lines: [String], notes: [String]) {
        let keys = history.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let unknown = unknownKeys(keys)
        var notes: [String] = []
        if !unknown.isEmpty {
            if strict { throw DatasetError.invalidRequest("unknown item(s): \(unknown.joined(separator: ", "))") }
            notes.append(ModelArchive.ignoredKeysNote(unknown))
        }
        if unknown.count == keys.count { notes.append("no known items in the history: showing what the model scores highest for an empty one") }
        let ranked = lines(after: keys, k: k, keepSeen: keepSeen, catalog: catalog)
        if ranked.count < k { notes.append("only \(ranked.count) items to show") }
        return (ranked, notes)
    }

    /// The recommendations as ranked lines (rank, score, title and key from `catalog` when it has the item).
    public func lines(after history: [String], k: Int, keepSeen: Bool = false, catalog: ItemCatalog? = nil) -> [String] {
        recommend(after: history, k: k, keepSeen: keepSeen).enumerated().map { rank, item in
            String(format: "%3d  %8.3f  %@", rank + 1, item.score, catalog?.titles[item.key].map { "\($0) (\(item.key))" } ?? item.key)
        }
    }
}
