import FileIO
import Foundation

/// TensorBoard Embedding Projector files: `vectors.tsv` (one row of
/// tab-separated numbers per key) and `metadata.tsv` (the keys; with counts,
/// a header row `key<TAB>count`).
enum ProjectorFormat {
    static func write(_ e: KeyedEmbeddings, counts: [Int]?, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var vectors = ""
        vectors.reserveCapacity(e.keys.count * e.dimension * 10)
        for row in 0..<e.keys.count {
            vectors += (0..<e.dimension).map { String(e.vectors[row, $0]) }.joined(separator: "\t") + "\n"
        }
        try AtomicFile.write(Data(vectors.utf8), to: folder + "/vectors.tsv")
        let clean = { (k: String) in k.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        var metadata = counts == nil ? "" : "key\tcount\n"
        for (row, key) in e.keys.enumerated() {
            metadata += clean(key) + (counts.map { "\t\($0[row])" } ?? "") + "\n"
        }
        try AtomicFile.write(Data(metadata.utf8), to: folder + "/metadata.tsv")
    }
}
