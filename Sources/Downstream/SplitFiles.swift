import Datasets
import FileIO
import Foundation

/// Writes BENCHMARKS.md's splits as tab-separated files, so other tools
/// (the PyTorch and gensim references, users' own scripts) use the very
/// same ones.
public enum SplitFiles {
    /// Which split of an interactions dataset.
    public enum Kind: String, Sendable, CaseIterable {
        /// A seeded random split of all events: train.tsv, test.tsv.
        case ratings
        /// Per user, the last event for test and the one before for validation: train.tsv, validation.tsv, test.tsv.
        case leaveLastOut = "leave-last-out"
    }

    /// Writes `data`'s split into `folder` (user, item, rating, timestamp
    /// with a header line); returns each file and its event count.
    public static func write(_ data: Interactions, kind: Kind, trainFraction: Double = 0.8, seed: UInt64 = 0,
                             to folder: String) throws -> [(file: String, count: Int)] {
        let parts: [(String, [Int])]
        switch kind {
        case .ratings:
            let (train, test) = IndexSplit.random(count: data.count, trainFraction: trainFraction, seed: seed)
            parts = [("train.tsv", train), ("test.tsv", test)]
        case .leaveLastOut:
            let cuts = LeaveLastOutSplit.chronologicalOrder(data).map(LeaveLastOutSplit.cut)
            parts = [("train.tsv", cuts.flatMap(\.train)), ("validation.tsv", cuts.compactMap(\.validation)), ("test.tsv", cuts.compactMap(\.test))]
        }
        return try write(parts, to: folder) { i in
            "\(data.userVocabulary.key(at: data.users[i]))\t\(data.itemVocabulary.key(at: data.items[i]))\t"
                + "\(data.ratings.map { String($0[i]) } ?? "")\t\(data.timestamps.map { String(Int64($0[i])) } ?? "")\n"
        } header: { "user\titem\trating\ttimestamp\n" }
    }

    /// Writes the spam task's own split of `texts` (label<TAB>text):
    /// train.tsv and test.tsv (stratified 80/20), and the training part
    /// again as fit.tsv (what the classifier trains on) and validation.tsv
    /// (what picks its epoch and threshold).
    public static func write(_ texts: LabelledTexts, seed: UInt64 = 0, to folder: String) throws -> [(file: String, count: Int)] {
        let (fit, validation, test) = ClassificationTask.splitIndices(labels: texts.labels, seed: seed)
        return try write([("train.tsv", (fit + validation).sorted()), ("test.tsv", test), ("fit.tsv", fit), ("validation.tsv", validation)],
                         to: folder) { "\(texts.labelVocabulary.key(at: texts.labels[$0]))\t\(texts.texts[$0])\n" } header: { "" }
    }

    /// Writes the split of `source` into `folder`: for sms-spam the spam
    /// task's own split (its fraction is fixed at 80/20), else `kind` of its
    /// interactions; returns each file, its count and what it counts.
    public static func write(_ source: DataSource, kind: Kind, trainFraction: Double = 0.8, seed: UInt64 = 0,
                             to folder: String) throws -> (files: [(file: String, count: Int)], unit: String) {
        guard source.name == "sms-spam" else {
            return (try write(try source.interactions().data, kind: kind, trainFraction: trainFraction, seed: seed, to: folder), "events")
        }
        guard trainFraction == 0.8 else { throw DatasetError.invalidRequest("sms-spam has the spam task's fixed 80/20 split; leave --fraction out") }
        return (try write(try PublicDatasets.smsSpam(cache: source.cache), seed: seed, to: folder), "messages")
    }

    /// Each part as one atomically written file of `line(index)`s after `header()`.
    private static func write(_ parts: [(String, [Int])], to folder: String, line: (Int) -> String,
                              header: () -> String) throws -> [(file: String, count: Int)] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try parts.map { file, indices in
            var text = header()
            for i in indices { text += line(i) }
            try AtomicFile.write(Data(text.utf8), to: folder + "/" + file)
            return (folder + "/" + file, indices.count)
        }
    }
}
