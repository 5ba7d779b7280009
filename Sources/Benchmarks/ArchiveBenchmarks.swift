import Archive
import Autograd
import FileIO
import Foundation

/// Archive throughput: write and read back a rows x width float32 embedding
/// archive, with the peak memory each phase adds over what it started with.
public enum ArchiveBenchmarks {
    /// Runs the write/read round trip for each of `compressions`: `rows` x
    /// `dimension` (default 1,000,000 x 64; `quick`: 10,000 rows).
    public static func run(quick: Bool, rows: Int? = nil, dimension: Int = 64, compressions: [ArchiveWriter.Compression] = [.none, .zstd],
                           folder: String = NSTemporaryDirectory()) throws -> [BenchmarkResult] {
        let rows = rows ?? (quick ? 10_000 : 1_000_000)
        let bytes = Double(rows * dimension * 4)
        let path = folder + "/warmstart-bench-\(ProcessInfo.processInfo.processIdentifier).warm"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var results: [BenchmarkResult] = []
        for compression in compressions {
            var (writeSeconds, writePeak) = (0.0, 0)
            do {
                var rng = SeededGenerator(seed: 1)
                let contents = ArchiveContents(
                    manifest: ArchiveManifest(kind: "embeddings", method: "benchmark", seed: 1, threads: 1, toolVersion: "bench"),
                    vocabulary: ArchiveVocabulary(keys: (0..<rows).map { "item\($0)" }),
                    tensors: ["vectors": .normal(shape: [rows, dimension], std: 0.1, using: &rng)])
                let base = MemoryProbe.resetPeak()
                let start = DispatchTime.now().uptimeNanoseconds
                try WarmArchive.write(contents, to: path, compression: compression)
                writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                writePeak = MemoryProbe.peak() - base
            }
            let base = MemoryProbe.resetPeak()
            let start = DispatchTime.now().uptimeNanoseconds
            let read = try WarmArchive.read(path: path)
            let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let readPeak = MemoryProbe.peak() - base
            precondition(read.vectors?.count == rows * dimension)
            let label = "archive \(rows)x\(dimension) \(compression.rawValue)"
            results.append(BenchmarkResult(name: "\(label) write (peak +\(readable(writePeak)))", secondsPerCall: writeSeconds,
                                           throughput: bytes / writeSeconds / 1e6, unit: "MB/s"))
            results.append(BenchmarkResult(name: "\(label) read (peak +\(readable(readPeak)), \(String(format: "%.2f", Double(readPeak) / bytes))x matrix)",
                                           secondsPerCall: readSeconds, throughput: bytes / readSeconds / 1e6, unit: "MB/s"))
        }
        return results
    }

    private static func readable(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1e6) }
}

/// Resident memory from /proc (Linux): the current size, and the peak since
/// the last reset.
enum MemoryProbe {
    private static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }

    /// Resets the peak to the current size (writes 5 to clear_refs); returns the current size.
    static func resetPeak() -> Int {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return status("VmRSS:")
    }

    /// The peak resident size since the last reset.
    static func peak() -> Int { status("VmHWM:") }
}
