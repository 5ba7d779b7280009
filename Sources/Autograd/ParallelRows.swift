import Dispatch
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

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

/// The one pool every parallel kernel runs on (row-wise kernels, matrix
/// products split by `gemm`, the loss blocks): GCD's worker threads, which
/// sleep when idle. OpenBLAS itself stays on one thread, so no second pool
/// of spinning threads competes with ours for the cores. Work started from
/// inside a worker runs on that worker, never fanned out again.
enum WorkerThreads {
    private static let insideKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread is running one of `perform`'s iterations.
    static var isInside: Bool { pthread_getspecific(insideKey) != nil }

    /// Calls `body(i)` for `i` in `0..<count` on up to `count` threads and
    /// returns when all are done; each call runs marked as inside a worker.
    static func perform(_ count: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedShare(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                let outer = pthread_getspecific(insideKey)
                pthread_setspecific(insideKey, UnsafeRawPointer(bitPattern: 1))
                shared.value(i)
                pthread_setspecific(insideKey, outer)
            }
        }
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
