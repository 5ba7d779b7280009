import Archive
import Datasets
import Downstream
import Foundation

extension ReuseGrid {
    /// The archive at `path` for a grid, named `reference` (a file's name without its extension, or the store reference as given).
    public static func archive(_ reference: String, at path: String) throws -> (name: String, embeddings: KeyedEmbeddings, method: String) {
        let contents = try WarmArchive.read(path: path)
        let name = FileManager.default.fileExists(atPath: reference)
            ? ((reference as NSString).lastPathComponent as NSString).deletingPathExtension : reference
        return (name, try KeyedEmbeddings(contents), contents.manifest.method)
    }

    /// Label shares from "0.01,0.1,1": each in (0, 1].
    public static func shares(_ text: String) throws -> [Double] {
        let shares = text.split(separator: ",").compactMap { Double($0) }
        guard !shares.isEmpty, shares.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw DatasetError.invalidRequest("label shares must be numbers in (0, 1], comma-separated; got '\(text)'")
        }
        return shares
    }

    /// Pretrained starts from "frozen,gradual" (random always runs, so it is not one of them).
    public static func starts(_ text: String) throws -> [StartMode] {
        try text.split(separator: ",").map { s in
            guard let mode = StartMode(rawValue: String(s)), mode != .random else {
                throw DatasetError.invalidRequest("unknown or random start '\(s)'; pretrained starts are frozen, finetuned, finetuned-slow and gradual")
            }
            return mode
        }
    }
}

extension ReuseJobConfig {
    /// Points `task` at `data`: the labelled file of `text` and `items`
    /// (which need one), or the interaction log of `nextitem` (ml-100k by default).
    public mutating func use(_ data: DataSource, for task: ReuseTaskName) throws {
        cache = data.cache
        switch task {
        case .text, .items:
            guard data.name != "ml-100k" else { throw DatasetError.invalidRequest("--task \(task.rawValue) needs your labelled file (--data FILE)") }
            self.task.file = data.name
        case .nextitem where data.name != "ml-100k": interactions = data
        default: break
        }
    }
}

extension ReuseReport {
    /// One line per pretrained start: from which label share it meets random, or that it is still better at the largest.
    public var meetingLines: [String] {
        meetingPoints().map { m in
            "\(m.line): " + (m.fraction.map { "meets random from \(String(format: "%g", $0)) of the labels (about \(m.examples ?? 0) examples)" }
                             ?? "better than random (p < 0.05) at the largest label share tried")
        }
    }
}
