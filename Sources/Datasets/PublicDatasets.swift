import Foundation

/// Loaders for the public datasets of BENCHMARKS.md, from the cache.
public enum PublicDatasets {
    /// The names `warmstart` knows.
    public static let names = ["ml-100k", "sms-spam", "kjv"]

    private static func require(_ path: String, dataset: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError.unreadable(file: path,
                message: "not fetched yet; run `warmstart datasets fetch \(dataset)` (make test and make demo do this)")
        }
        return path
    }

    /// MovieLens 100K ratings and its item titles and genres.
    public static func movieLens100K(cache: DataCache = .defaultCache()) throws -> (Interactions, ItemCatalog) {
        let inter = try require(cache.path("ml-100k/ml-100k.inter"), dataset: "ml-100k")
        let item = try require(cache.path("ml-100k/ml-100k.item"), dataset: "ml-100k")
        return (try Interactions.read(path: inter, layout: .recBole, columns: .recBole), try ItemCatalog.readRecBole(path: item))
    }

    /// The SMS Spam Collection.
    public static func smsSpam(cache: DataCache = .defaultCache()) throws -> LabelledTexts {
        try LabelledTexts.readTabSeparated(path: try require(cache.path("sms-spam/spam_collection.csv"), dataset: "sms-spam"))
    }

    /// The King James Bible, one verse a line.
    public static func kjv(cache: DataCache = .defaultCache()) throws -> [String] {
        try PlainText.readLines(path: try require(cache.path("kjv/kjv.txt"), dataset: "kjv"))
    }
}

/// Counts that describe a dataset, in print order.
public struct DatasetSummary: Sendable {
    /// (name, value) pairs.
    public var rows: [(String, String)] = []

    /// Users, items, events, sparsity, training-sequence length percentiles,
    /// ratings and time span.
    public init(_ data: Interactions) {
        let density = Double(data.count) / (Double(data.userCount) * Double(data.itemCount))
        rows = [("source", data.source), ("users", "\(data.userCount)"), ("items", "\(data.itemCount)"),
                ("interactions", "\(data.count)"), ("sparsity", String(format: "%.4f%%", 100 * (1 - density)))]
        var perUser = [Int](repeating: 0, count: data.userCount)
        for u in data.users { perUser[Int(u)] += 1 }
        rows.append(("events per user (min p25 p50 p75 p95 max)", Self.percentiles(perUser)))
        var perItem = [Int](repeating: 0, count: data.itemCount)
        for i in data.items { perItem[Int(i)] += 1 }
        rows.append(("events per item (min p25 p50 p75 p95 max)", Self.percentiles(perItem)))
        if let r = data.ratings {
            let mean = r.reduce(0, +) / Float(r.count)
            var histogram: [Float: Int] = [:]
            for x in r { histogram[x, default: 0] += 1 }
            rows.append(("mean rating", String(format: "%.3f", mean)))
            rows.append(("ratings", histogram.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))
        }
        if let t = data.timestamps, let lo = t.min(), let hi = t.max() {
            let f = ISO8601DateFormatter()
            rows.append(("time span", "\(f.string(from: Date(timeIntervalSince1970: lo))) … \(f.string(from: Date(timeIntervalSince1970: hi)))"))
        }
    }

    /// Texts, label balance, tokens per text and vocabulary size.
    public init(_ data: LabelledTexts, tokenizer: Tokenizer = Tokenizer()) {
        rows = [("source", data.source), ("texts", "\(data.count)")]
        var perLabel = [Int](repeating: 0, count: data.labelVocabulary.count)
        for l in data.labels { perLabel[Int(l)] += 1 }
        rows.append(("labels", data.labelVocabulary.keys.enumerated().map {
            "\($0.element): \(perLabel[$0.offset]) (\(String(format: "%.1f", 100 * Double(perLabel[$0.offset]) / Double(data.count)))%)"
        }.joined(separator: ", ")))
        var vocabulary = Vocabulary()
        let lengths = data.texts.map { text in tokenizer.tokens(text).map { vocabulary.add($0) }.count }
        rows.append(("tokens per text (min p25 p50 p75 p95 max)", Self.percentiles(lengths)))
        rows.append(("distinct tokens", "\(vocabulary.count)"))
    }

    /// Lines, words and distinct words of plain text.
    public init(lines: [String], source: String, tokenizer: Tokenizer = Tokenizer()) {
        var vocabulary = Vocabulary()
        var words = 0
        for line in lines { for t in tokenizer.tokens(line) { vocabulary.add(t); words += 1 } }
        rows = [("source", source), ("lines", "\(lines.count)"), ("words", "\(words)"), ("distinct words", "\(vocabulary.count)"),
                ("words seen at least 5 times", "\(vocabulary.pruned(minimumCount: 5).count)")]
    }

    /// The rows as aligned text lines, names padded to one width.
    public var lines: [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
    }

    /// "min p25 p50 p75 p95 max" of `values`.
    static func percentiles(_ values: [Int]) -> String {
        let s = values.sorted()
        guard !s.isEmpty else { return "-" }
        let at = { (q: Double) in s[min(s.count - 1, Int(q * Double(s.count - 1)))] }
        return [s[0], at(0.25), at(0.5), at(0.75), at(0.95), s[s.count - 1]].map(String.init).joined(separator: " ")
    }
}
