import Foundation

/// How far an archive may expand when read: the entries' declared sizes
/// together may exceed the archive file's size by at most `maxExpansion`
/// times, or `floorBytes`, whichever is larger. Float vectors compress by
/// less than 2x, so real archives stay far inside the standard limit, while a
/// small file that declares gigabytes (a decompression bomb, or a damaged
/// header) is refused before anything is allocated.
public struct ArchiveReadLimits: Sendable, Equatable {
    /// The largest ratio of declared bytes to file bytes.
    public var maxExpansion: Double
    /// Declared sizes up to this many bytes are always allowed.
    public var floorBytes: Int64

    /// A limit.
    public init(maxExpansion: Double, floorBytes: Int64) {
        self.maxExpansion = maxExpansion
        self.floorBytes = floorBytes
    }

    /// The environment variable that overrides the standard ratio.
    public static let environmentVariable = "WARMSTART_MAX_EXPANSION"

    /// 100x the file, at least 64 MiB; `$WARMSTART_MAX_EXPANSION` sets another ratio.
    public static var standard: ArchiveReadLimits {
        let ratio = ProcessInfo.processInfo.environment[environmentVariable].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil }
        return ArchiveReadLimits(maxExpansion: ratio ?? 100, floorBytes: 64 << 20)
    }

    /// Throws when the manifest declares more bytes than `path` may expand to,
    /// or a negative size.
    func check(_ manifest: ArchiveManifest, path: String) throws {
        var declared: Int64 = 0
        for entry in manifest.entries {
            guard entry.size >= 0 else {
                throw ArchiveError(path: path, entry: ArchiveContents.manifestEntry, "entry \(entry.name) has a negative size")
            }
            let (sum, overflow) = declared.addingReportingOverflow(entry.size)
            declared = overflow ? .max : sum
        }
        let fileSize = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        let allowed = max(floorBytes, Int64(min(Double(Int64.max / 2), Double(fileSize) * maxExpansion)))
        guard declared <= allowed else {
            throw ArchiveError(path: path,
                "its entries declare \(declared) bytes, \(String(format: "%.0f", Double(declared) / Double(max(fileSize, 1))))x the file's \(fileSize); "
                + "refusing to expand past \(String(format: "%g", maxExpansion))x (a damaged archive or a decompression bomb; set \(Self.environmentVariable) to allow more)")
        }
    }
}
