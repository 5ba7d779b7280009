/// What went wrong in an autograd operation, named by the op and the shapes it saw.
public struct AutogradError: Error, CustomStringConvertible, Equatable {
    /// The operation that refused its input (for example "matmul").
    public let op: String
    /// What was wrong, with the shapes or values involved.
    public let message: String

    /// An error for `op`.
    public init(op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    /// "op: message".
    public var description: String { "\(op): \(message)" }
}

/// Stops the program with a message naming the op and shapes: the response to
/// a programming error such as a shape mismatch, before any loop runs.
@inline(never)
func fail(_ error: AutogradError, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("Warmstart autograd error: \(error.description)", file: file, line: line)
}

/// Stops with `error` when `condition` is false.
@inline(__always)
func require(_ condition: Bool, _ error: @autoclosure () -> AutogradError,
             file: StaticString = #file, line: UInt = #line) {
    if !condition { fail(error(), file: file, line: line) }
}
