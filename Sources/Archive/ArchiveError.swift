/// Why an archive or an interchange file was refused, naming the file and,
/// where there is one, the entry.
public struct ArchiveError: Error, CustomStringConvertible, Equatable {
    /// The file.
    public let path: String
    /// The entry inside the archive, if the problem is in one.
    public let entry: String?
    /// What is wrong, and what can be done where something can.
    public let message: String

    /// An error about `path` (and `entry`).
    public init(path: String, entry: String? = nil, _ message: String) {
        self.path = path
        self.entry = entry
        self.message = message
    }

    /// "path[entry]: message".
    public var description: String { entry.map { "\(path) [\($0)]: \(message)" } ?? "\(path): \(message)" }
}

/// One plain sentence for a JSON decoding failure: which field, and what is
/// wrong with it; no Swift type names.
func plainDescription(of error: DecodingError) -> String {
    func field(_ path: [CodingKey]) -> String {
        path.isEmpty ? "the top level" : "field '" + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "required \(field(context.codingPath + [key])) is missing"
    case .valueNotFound(_, let context):
        return "\(field(context.codingPath)) is null, but a value is required"
    case .typeMismatch(let type, let context):
        let wanted = type == String.self ? "a string" : (type == Int.self || type == Int64.self || type == UInt64.self) ? "a whole number"
            : type == Double.self ? "a number" : type == Bool.self ? "true or false" : "another kind of value"
        return "\(field(context.codingPath)) should be \(wanted)"
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty ? "not valid JSON" : "\(field(context.codingPath)) has a value out of range or malformed"
    @unknown default:
        return "cannot be decoded"
    }
}
