import Autograd
import FileIO
import Foundation

/// The word2vec formats as the original C tool, gensim and fastText use them.
enum Word2VecFormat {
    static func checkKeys(_ e: KeyedEmbeddings, path: String) throws {
        if let bad = e.keys.first(where: { $0.isEmpty || $0.contains(where: { $0 == " " || $0 == "\n" || $0 == "\t" }) }) {
            throw ArchiveError(path: path, "key \(bad.debugDescription) has whitespace; the word2vec formats cannot hold it")
        }
    }

    static func writeText(_ e: KeyedEmbeddings, to path: String) throws {
        try checkKeys(e, path: path)
        try AtomicFile.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let out = FileHandle(forWritingAtPath: temporary) else { throw ArchiveError(path: temporary, "cannot create") }
            defer { try? out.close() }
            var buffer = "\(e.keys.count) \(e.dimension)\n"
            for (row, key) in e.keys.enumerated() {
                buffer += key
                for j in 0..<e.dimension { buffer += " " + String(e.vectors[row, j]) }
                buffer += "\n"
                if buffer.utf8.count > 1 << 20 { try out.write(contentsOf: Data(buffer.utf8)); buffer = "" }
            }
            try out.write(contentsOf: Data(buffer.utf8))
        }
    }

    static func writeBinary(_ e: KeyedEmbeddings, to path: String) throws {
        try checkKeys(e, path: path)
        try AtomicFile.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let out = FileHandle(forWritingAtPath: temporary) else { throw ArchiveError(path: temporary, "cannot create") }
            defer { try? out.close() }
            var buffer = Data("\(e.keys.count) \(e.dimension)\n".utf8)
            e.vectors.withUnsafeBufferPointer { v in
                for (row, key) in e.keys.enumerated() {
                    buffer.append(contentsOf: (key + " ").utf8)
                    buffer.append(UnsafeBufferPointer(rebasing: v[(row * e.dimension)..<((row + 1) * e.dimension)]))
                    buffer.append(10)
                }
            }
            try out.write(contentsOf: buffer)
        }
    }

    /// Parses `rows dim`, refusing sizes the file cannot hold: every row
    /// takes at least `minimumRowBytes(dim)` bytes of the `available` ones.
    private static func header(_ line: Substring, path: String, available: Int, minimumRowBytes: (Int) -> Int?) throws -> (rows: Int, dim: Int) {
        let parts = line.split(separator: " ")
        guard parts.count == 2, let rows = Int(parts[0]), let dim = Int(parts[1]), rows > 0, dim > 0 else {
            throw ArchiveError(path: path, "line 1: expected 'rows dimension' (both above 0), found \(line.prefix(60).debugDescription)")
        }
        guard let rowBytes = minimumRowBytes(dim), case let (total, overflow) = rows.multipliedReportingOverflow(by: rowBytes),
              !overflow, total <= available else {
            throw ArchiveError(path: path, "line 1: the header declares \(rows) rows of \(dim) values, more than the file's \(available) bytes can hold (truncated, or a damaged header)")
        }
        return (rows, dim)
    }

    /// Throws naming the line (or row) and key of a value that is not finite.
    private static func checkFinite(_ value: Float, path: String, place: String, key: Substring) throws {
        guard value.isFinite else {
            throw ArchiveError(path: path, "\(place), key \(String(key).debugDescription): value \(value) is not finite; refusing it")
        }
    }

    static func readText(path: String, allowNonFinite: Bool) throws -> KeyedEmbeddings {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ArchiveError(path: path, "cannot read as UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next() else { throw ArchiveError(path: path, "the file is empty") }
        // A row is at least a one-byte key and " v" per value.
        let (rows, dim) = try header(first, path: path, available: data.count) { dim in
            let (b, overflow) = dim.multipliedReportingOverflow(by: 2)
            return overflow ? nil : b + 1
        }
        var keys: [String] = [], values: [Float] = []
        keys.reserveCapacity(rows); values.reserveCapacity(rows * dim)
        var number = 1
        while let line = lines.next() {
            number += 1
            let parts = line.split(separator: " ")
            guard parts.count == dim + 1 else {
                throw ArchiveError(path: path, "line \(number): expected a key and \(dim) numbers, found \(parts.count - 1) numbers")
            }
            guard keys.count < rows else { throw ArchiveError(path: path, "line \(number): the header says \(rows) rows, the file has more") }
            keys.append(String(parts[0]))
            for p in parts.dropFirst() {
                guard let v = Float(p) else { throw ArchiveError(path: path, "line \(number): '\(p.prefix(40))' is not a number") }
                if !allowNonFinite { try checkFinite(v, path: path, place: "line \(number)", key: parts[0]) }
                values.append(v)
            }
        }
        guard keys.count == rows else { throw ArchiveError(path: path, "the header says \(rows) rows, the file has \(keys.count)") }
        return try KeyedEmbeddings(keys: keys, vectors: Tensor(shape: [rows, dim], scalars: values), source: path)
    }

    static func readBinary(path: String) throws -> KeyedEmbeddings {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ArchiveError(path: path, "cannot read: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { bytes -> KeyedEmbeddings in
            guard let newline = bytes.firstIndex(of: 10),
                  let line = String(bytes: bytes[..<newline], encoding: .utf8) else { throw ArchiveError(path: path, "no header line") }
            // A row is at least a one-byte key, a space and 4 bytes per value.
            let (rows, dim) = try header(Substring(line), path: path, available: bytes.count - newline - 1) { dim in
                let (b, overflow) = dim.multipliedReportingOverflow(by: 4)
                return overflow ? nil : b + 2
            }
            var offset = newline + 1
            var keys: [String] = []
            var matrix = Tensor(uninitializedShape: [rows, dim])
            try matrix.withUnsafeMutableBufferPointer { dst in
                for row in 0..<rows {
                    while offset < bytes.count && (bytes[offset] == 10 || bytes[offset] == 13) { offset += 1 }
                    guard let space = bytes[offset...].firstIndex(of: 32) else {
                        throw ArchiveError(path: path, "row \(row + 1) of \(rows): the file ends before its key")
                    }
                    guard let key = String(bytes: bytes[offset..<space], encoding: .utf8) else {
                        throw ArchiveError(path: path, "row \(row + 1): the key is not UTF-8")
                    }
                    keys.append(key)
                    offset = space + 1
                    guard offset + 4 * dim <= bytes.count else {
                        throw ArchiveError(path: path, "row \(row + 1) of \(rows): the file ends inside the vector (truncated)")
                    }
                    for j in 0..<dim {
                        let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 * j, as: UInt32.self))
                        dst[row * dim + j] = Float(bitPattern: bits)
                    }
                    offset += 4 * dim
                }
            }
            return try KeyedEmbeddings(keys: keys, vectors: matrix, source: path)
        }
    }
}
