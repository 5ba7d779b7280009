#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Streams a text file line by line (getline), checking UTF-8, so that a
/// file of any size is read with one line in memory. Line endings `\n` and
/// `\r\n` are both accepted; the text passed on has neither.
public struct LineReader {
    /// How the file's bytes encode text.
    public enum Encoding: String, Sendable {
        /// UTF-8; invalid bytes are an error naming the line.
        case utf8
        /// ISO-8859-1 (MovieLens's `u.item`): every byte is a character.
        case latin1
    }

    /// The file's path, used in every error.
    public let path: String
    /// The text encoding.
    public let encoding: Encoding

    /// A reader of `path`.
    public init(path: String, encoding: Encoding = .utf8) {
        self.path = path
        self.encoding = encoding
    }

    /// Calls `body(lineNumber, line)` for each line, numbering from 1.
    /// Throws when the file cannot be opened or a line is not UTF-8;
    /// rethrows what `body` throws.
    public func forEachLine(_ body: (Int, Substring) throws -> Void) throws {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw DatasetError.unreadable(file: path, message: "is a folder, not a data file")
        }
        guard let file = fopen(path, "rb") else {
            throw DatasetError.unreadable(file: path, message: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var lineNumber = 0
        while true {
            let length = getline(&buffer, &capacity, file)
            if length < 0 { break }
            lineNumber += 1
            var end = length
            buffer!.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                while end > 0 && (bytes[end - 1] == 10 || bytes[end - 1] == 13) { end -= 1 }
            }
            let text = buffer!.withMemoryRebound(to: UInt8.self, capacity: length) { bytes -> String? in
                let line = UnsafeBufferPointer(start: bytes, count: end)
                switch encoding {
                case .utf8: return String(validating: line, as: UTF8.self)
                case .latin1: return String(String.UnicodeScalarView(line.map { Unicode.Scalar($0) }))
                }
            }
            guard let text else { throw DatasetError.invalidUTF8(file: path, line: lineNumber) }
            try body(lineNumber, Substring(text))
        }
        if ferror(file) != 0 {
            throw DatasetError.unreadable(file: path, message: "read error after line \(lineNumber)")
        }
    }
}
