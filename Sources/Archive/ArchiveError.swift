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
