/// A failure reading or writing a file or an archive, naming the path.
public struct FileIOError: Error, CustomStringConvertible, Equatable {
    /// The file concerned.
    public let path: String
    /// What went wrong.
    public let message: String

    /// An error about `path`.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// "path: message".
    public var description: String { "\(path): \(message)" }
}
