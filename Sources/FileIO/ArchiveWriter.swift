import CArchive
import Foundation

/// Writes a tar stream (plain, gzip or zstd) entry by entry through
/// libarchive. Entry data is streamed in chunks; every entry gets a fixed
/// modification time so that the same content gives the same bytes.
public final class ArchiveWriter {
    /// The compression filter of the tar stream.
    public enum Compression: String, Sendable, Codable, CaseIterable {
        /// Plain tar: fastest to read and write.
        case none
        /// gzip (about 30 MB/s to write).
        case gzip
        /// zstd level 1 by default (hundreds of MB/s).
        case zstd
    }

    /// The file being written.
    public let path: String
    private let handle: OpaquePointer
    private var closed = false

    /// Opens `path` for writing a tar with `compression` at `level` (the
    /// filter's default when nil). The caller usually passes a temporary path
    /// (see `AtomicFile`).
    public init(path: String, compression: Compression, level: Int? = nil) throws {
        self.path = path
        guard let a = archive_write_new() else { throw FileIOError(path: path, "libarchive could not allocate a writer") }
        handle = a
        archive_write_set_format_pax_restricted(a)
        switch compression {
        case .none: archive_write_add_filter_none(a)
        case .gzip: archive_write_add_filter_gzip(a)
        case .zstd: archive_write_add_filter_zstd(a)
        }
        let chosenLevel = level ?? (compression == .zstd ? 1 : nil)
        if let chosenLevel, compression != .none {
            archive_write_set_filter_option(a, nil, "compression-level", String(chosenLevel))
        }
        archive_write_set_bytes_per_block(a, 1 << 20)  // 1 MiB writes instead of 10 KiB
        archive_write_set_bytes_in_last_block(a, 1)
        guard archive_write_open_filename(a, path) == ARCHIVE_OK else {
            let message = archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
            archive_write_free(a)
            throw FileIOError(path: path, "cannot open for writing: \(message)")
        }
    }

    deinit { if !closed { archive_write_free(handle) } }

    private func check(_ status: Int32, _ what: String) throws {
        guard status >= ARCHIVE_WARN else {
            let message = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
            throw FileIOError(path: path, "\(what): \(message)")
        }
    }

    private func header(name: String, type: UInt32, size: Int64, link: String? = nil, hardLink: Bool = false) throws {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_size(entry, size)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_mtime(entry, 0, 0)
        if let link {
            if hardLink { archive_entry_set_hardlink(entry, link) } else { archive_entry_set_symlink(entry, link) }
        }
        try check(archive_write_header(handle, entry), "cannot write the header of \(name)")
    }

    /// Adds a regular file of `size` bytes whose data `produce` streams by
    /// calling its sink with consecutive chunks (the chunks must add up to
    /// `size`; libarchive drops bytes past it).
    public func addFile(name: String, size: Int64,
                        _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try header(name: name, type: WS_AE_IFREG, size: size)
        try produce { chunk in
            guard chunk.count > 0 else { return }
            let written = archive_write_data(handle, chunk.baseAddress, chunk.count)
            guard written >= 0 else { try check(Int32(written), "cannot write the data of \(name)"); return }
        }
    }

    /// Adds a regular file holding `data`.
    public func addFile(name: String, data: Data) throws {
        try addFile(name: name, size: Int64(data.count)) { sink in
            try data.withUnsafeBytes { try sink($0) }
        }
    }

    /// Adds a symbolic link (only tests write these, to check that readers refuse them).
    public func addSymbolicLink(name: String, target: String) throws {
        try header(name: name, type: WS_AE_IFLNK, size: 0, link: target)
    }

    /// Adds a hard link to an earlier entry (only tests write these).
    public func addHardLink(name: String, target: String) throws {
        try header(name: name, type: WS_AE_IFREG, size: 0, link: target, hardLink: true)
    }

    /// Finishes the stream and closes the file.
    public func close() throws {
        guard !closed else { return }
        closed = true
        let status = archive_write_close(handle)
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
        archive_write_free(handle)
        guard status == ARCHIVE_OK else { throw FileIOError(path: path, "cannot finish the archive: \(message)") }
    }
}
