/// What is wrong with a data file or a fetch, naming the file, the line and
/// the field where one applies, and what to do where something can be done.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    /// A line that does not parse.
    case malformedLine(file: String, line: Int, message: String)
    /// A header without the columns asked for.
    case missingColumns(file: String, wanted: [String], found: [String])
    /// A file with no usable rows.
    case empty(file: String, message: String)
    /// Bytes that are not UTF-8.
    case invalidUTF8(file: String, line: Int)
    /// A file that cannot be opened.
    case unreadable(file: String, message: String)
    /// A fetched file whose checksum is not the manifest's.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// A fetch step that failed, with what to do about it.
    case fetchFailed(step: String, message: String, remedy: String)
    /// A dataset name that is not in the catalogue.
    case unknownDataset(name: String, known: [String])
    /// A request that the data cannot satisfy.
    case invalidRequest(String)

    /// One line a person can act on.
    public var description: String {
        switch self {
        case .malformedLine(let file, let line, let message):
            return "\(file):\(line): \(message)"
        case .missingColumns(let file, let wanted, let found):
            return "\(file): needs column(s) \(wanted.joined(separator: ", ")); the file has \(found.joined(separator: ", "))"
        case .empty(let file, let message):
            return "\(file): \(message)"
        case .invalidUTF8(let file, let line):
            return "\(file):\(line): bytes that are not UTF-8; convert the file (for example with iconv) and try again"
        case .unreadable(let file, let message):
            return "\(file): \(message)"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): SHA-256 is \(actual), the manifest expects \(expected); the cache was left as it was"
        case .fetchFailed(let step, let message, let remedy):
            return "fetch failed at \(step): \(message). \(remedy)"
        case .unknownDataset(let name, let known):
            return "unknown dataset '\(name)'; known: \(known.joined(separator: ", "))"
        case .invalidRequest(let message):
            return message
        }
    }
}
