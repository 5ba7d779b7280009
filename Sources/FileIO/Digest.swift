import Crypto
import Foundation

/// SHA-256 digests, streamed in chunks so files are never read whole.
public struct SHA256Stream {
    private var hasher = SHA256()

    /// An empty digest.
    public init() {}

    /// Adds bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    /// Adds the bytes of `data`.
    public mutating func update(_ data: Data) { hasher.update(data: data) }

    /// The lower-case hex digest.
    public func hexDigest() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of the file at `path`, read 1 MiB at a time.
    public static func file(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileIOError(path: path, "cannot open to compute its SHA-256")
        }
        defer { try? handle.close() }
        var stream = SHA256Stream()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { stream.update(chunk) }
        return stream.hexDigest()
    }
}
