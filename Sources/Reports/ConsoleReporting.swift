import Archive
import Datasets
import Foundation

/// Progress lines on standard error, so standard output stays clean for --json.
public struct ProgressReporter {
    /// Epochs in the run.
    public let total: Int
    /// What the throughput counts (examples, tokens, positions).
    public let unit: String
    private let start = Date()

    /// A reporter for `total` epochs counting `unit`.
    public init(total: Int, unit: String) {
        self.total = total
        self.unit = unit
    }

    /// One line for a finished epoch: loss, throughput (`amount` per `seconds`), elapsed time, ETA and `extra`.
    public func epoch(_ epoch: Int, loss: Double, amount: Int, seconds: Double, extra: String = "") {
        let elapsed = Date().timeIntervalSince(start)
        let eta = elapsed / Double(epoch) * Double(total - epoch)
        let rate = Double(amount) / max(seconds, 1e-9)
        let line = String(format: "epoch %d/%d  loss %.4f  %.0f %@/s  elapsed %.1fs  ETA %.1fs", epoch, total, loss, rate, unit, elapsed, eta)
        FileHandle.standardError.write(Data((line + (extra.isEmpty ? "" : "  " + extra) + "\n").utf8))
    }

    /// One line of text.
    public static func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

/// Prints the end-of-run checks: metrics, and neighbours of popular items with titles.
public enum IntrinsicReport {
    /// Metrics as sorted lines, or one JSON object.
    public static func printMetrics(_ metrics: [String: JSONValue], json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Swift.print(String(decoding: (try? encoder.encode(JSONValue.object(metrics))) ?? Data(), as: UTF8.self))
        } else {
            for key in metrics.keys.sorted() { Swift.print("\(key): \(metrics[key]!)") }
        }
    }

    /// The metrics with the archive's path, then (as text) the neighbours of the first three keys, titled from `catalog`.
    public static func print(embeddings: KeyedEmbeddings, catalog: ItemCatalog?, metrics: [String: JSONValue], json: Bool, out: String) {
        var summary = metrics
        summary["archive"] = .string(out)
        printMetrics(summary, json: json)
        if json { return }
        let title = { (k: String) in catalog?.titles[k].map { "\($0) (\(k))" } ?? k }
        for key in embeddings.keys.prefix(3) {
            let neighbours = embeddings.nearest(to: key, k: 5) ?? []
            Swift.print("nearest to \(title(key)): " + neighbours.map { title($0.key) }.joined(separator: "; "))
        }
        Swift.print("wrote \(out)")
    }
}
