import ArgumentParser
import Datasets
import Downstream
import FileIO
import Foundation

/// Where training data comes from: a public dataset by name, or a file.
struct DataOptions: ParsableArguments {
    @Option(help: "ml-100k, sms-spam, kjv, or a file: .inter (RecBole), u.data, ratings.csv, any delimited file with --columns, or plain text.")
    var data: String = "ml-100k"

    @Option(help: "For a delimited interactions file: its columns as user,item[,rating[,timestamp]] (names from its header).")
    var columns: String?

    @Option(help: "Field delimiter of a delimited interactions file (default: tab, or comma for .csv).")
    var delimiter: String?

    @Option(help: "Cache folder of the public data (default: $WARMSTART_DATA, else ~/.cache/warmstart).")
    var dataDir: String?

    var cache: DataCache { dataDir.map(DataCache.init(root:)) ?? .defaultCache() }

    /// Interactions with their item catalogue, display name and fingerprint.
    func interactions() throws -> (data: Interactions, catalog: ItemCatalog?, name: String, fingerprint: String) {
        if data == "ml-100k" {
            let (inter, catalog) = try PublicDatasets.movieLens100K(cache: cache)
            return (inter, catalog, "ml-100k", try SHA256Stream.file(inter.source))
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isFolder) else {
            throw DatasetError.unreadable(file: data, message: "no such file, and not a dataset name (ml-100k)")
        }
        guard !isFolder.boolValue else { throw DatasetError.unreadable(file: data, message: "is a folder; give the interactions file inside it") }
        let file = (data as NSString).lastPathComponent
        let loaded = try InteractionFiles.read(path: data, columns: columns.map { $0.split(separator: ",").map(String.init) }, delimiter: delimiter)
        let itemFile = data.replacingOccurrences(of: ".inter", with: ".item")
        let catalog = file.hasSuffix(".inter") && FileManager.default.fileExists(atPath: itemFile) ? try? ItemCatalog.readRecBole(path: itemFile) : nil
        return (loaded, catalog, file, try SHA256Stream.file(data))
    }

    /// Lines of text with a display name and fingerprint: kjv, sms-spam (texts without labels), or a file.
    func textLines() throws -> (lines: [String], name: String, fingerprint: String) {
        switch data {
        case "kjv": return (try PublicDatasets.kjv(cache: cache), "kjv", try SHA256Stream.file(cache.path("kjv/kjv.txt")))
        case "sms-spam":
            // Exactly the spam task's training part, without labels: the test messages never reach pretraining.
            let sms = try PublicDatasets.smsSpam(cache: cache)
            let task = try ClassificationTask.text(sms, positiveLabel: "spam")
            return (task.trainingTexts, "sms-spam (training texts, no labels)", try SHA256Stream.file(sms.source))
        default: return (try PlainText.readLines(path: data), (data as NSString).lastPathComponent, try SHA256Stream.file(data))
        }
    }
}

/// Progress lines on standard error, so standard output stays clean for --json.
struct ProgressReporter {
    let total: Int
    let unit: String
    private let start = Date()

    init(total: Int, unit: String) {
        self.total = total
        self.unit = unit
    }

    func epoch(_ epoch: Int, loss: Double, amount: Int, seconds: Double, extra: String = "") {
        let elapsed = Date().timeIntervalSince(start)
        let eta = elapsed / Double(epoch) * Double(total - epoch)
        let rate = Double(amount) / max(seconds, 1e-9)
        let line = String(format: "epoch %d/%d  loss %.4f  %.0f %@/s  elapsed %.1fs  ETA %.1fs", epoch, total, loss, rate, unit, elapsed, eta)
        FileHandle.standardError.write(Data((line + (extra.isEmpty ? "" : "  " + extra) + "\n").utf8))
    }

    static func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
