import CArchive
import Foundation

/// One entry of an archive as its header describes it.
public struct ArchiveEntryHeader: Sendable, Equatable {
    /// The kind of an entry.
    public enum Kind: Sendable, Equatable { case file, directory, symbolicLink, other }
    /// The entry's path inside the archive.
    public var path: String
    /// Declared size in bytes (files).
    public var size: Int64
    /// The target of a hard link, if the entry is one.
    public var hardLinkTarget: String?
    /// What the entry is.
    public var kind: Kind
}

/// Streams the entries of an archive (tar in any compression libarchive
/// knows, or zip) one at a time; an entry's data is read in chunks and never
/// held whole.
public final class ArchiveReader {
    /// The archive's path, named in every error.
    public let path: String
    private let handle: OpaquePointer
    private var opened = false

    /// Opens `path` for reading.
    public init(path: String) throws {
        self.path = path
        guard let a = archive_read_new() else { throw FileIOError(path: path, "libarchive could not allocate a reader") }
        handle = a
        archive_read_support_filter_all(a)
        archive_read_support_format_tar(a)
        archive_read_support_format_zip(a)
        guard archive_read_open_filename(a, path, 1 << 16) == ARCHIVE_OK else {
            let message = lastError()
            archive_read_free(a)
            throw FileIOError(path: path, "\(message)")
        }
        opened = true
    }

    deinit { if opened { archive_read_free(handle) } }

    private func lastError() -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// The next entry's header, or nil at the end. Throws for a damaged archive.
    public func nextEntry() throws -> ArchiveEntryHeader? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw FileIOError(path: path, "damaged or truncated archive: \(lastError())")
        }
        let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let type = archive_entry_filetype(entry)
        let kind: ArchiveEntryHeader.Kind
        switch UInt32(type) {
        case WS_AE_IFREG: kind = .file
        case WS_AE_IFDIR: kind = .directory
        case WS_AE_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        let hardLink = archive_entry_hardlink(entry).map { String(cString: $0) }
        return ArchiveEntryHeader(path: name, size: archive_entry_size(entry), hardLinkTarget: hardLink, kind: kind)
    }

    /// Reads the current entry's data in chunks, passing each to `body`.
    /// Throws when the data is damaged or longer than `limit` bytes.
    public func readData(limit: Int64 = .max, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let chunkSize = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = archive_read_data(handle, buffer, chunkSize)
            if n == 0 { break }
            guard n > 0 else { throw FileIOError(path: path, "damaged or truncated entry data: \(lastError())") }
            total += Int64(n)
            guard total <= limit else { throw FileIOError(path: path, "entry data is longer than the \(limit) bytes declared") }
            try body(UnsafeRawBufferPointer(start: buffer, count: n))
        }
    }

    /// Copies the current entry's data into a file at `destination`
    /// (written atomically) and returns its SHA-256.
    public func extractData(to destination: String) throws -> String {
        try AtomicFile.write(to: destination) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let out = FileHandle(forWritingAtPath: temporary) else { throw FileIOError(path: temporary, "cannot create") }
            defer { try? out.close() }
            var digest = SHA256Stream()
            try readData { chunk in
                digest.update(chunk)
                out.write(Data(chunk))
            }
            return digest.hexDigest()
        }
    }
}
