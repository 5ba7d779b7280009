/// Runs row-wise kernels (softmax, cross-entropy, element-wise gates) on the
/// worker count `MathThreads` sets, so one knob sets the parallelism of
/// every op. Rows are split into that many contiguous chunks; a kernel that
/// adds up a total returns one partial per chunk and the partials are added
/// in chunk order, so the same thread count always gives the same result.
public enum ParallelRows {
    /// Below this many elements a kernel runs on the calling thread (waking a
    /// second thread costs more than it saves).
    static let minimumElements = 1 << 17

    /// Calls `body(chunk rows)` for every chunk of `0..<rows`, in parallel when
    /// `rows * width` is large; returns each chunk's result in chunk order.
    public static func map<Result>(rows: Int, width: Int, _ body: (Range<Int>) -> Result) -> [Result] {
        let chunks = rows * width < minimumElements ? 1 : Swift.max(1, Swift.min(MathThreads.availableWorkers, rows))
        if chunks == 1 { return [body(0..<rows)] }
        let results = UnsafeMutablePointer<Result>.allocate(capacity: chunks)
        defer { results.deinitialize(count: chunks); results.deallocate() }
        withoutActuallyEscaping(body) { body in
            // Each chunk writes only its own result slot and reads what the caller lent it.
            let shared = UncheckedShare((body, results))
            WorkerThreads.perform(chunks) { c in
                (shared.value.1 + c).initialize(to: shared.value.0((rows * c / chunks)..<(rows * (c + 1) / chunks)))
            }
        }
        return Array(UnsafeBufferPointer(start: results, count: chunks))
    }

    /// Calls `body(chunk rows)` for every chunk of `0..<rows`, in parallel when large.
    public static func forEach(rows: Int, width: Int, _ body: (Range<Int>) -> Void) {
        _ = map(rows: rows, width: width, body)
    }
}

/// Lends values to the workers of one parallel call (`ParallelRows`, the
/// tiled loss's tile shares, block ranking), which never write the same memory.
public struct UncheckedShare<Value>: @unchecked Sendable {
    /// The value lent.
    public let value: Value
    /// Lends `value`.
    public init(_ value: Value) { self.value = value }
}
