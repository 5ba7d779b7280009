#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Large working arrays kept from one training step to the next: a step that
/// asks for no more than a returned block gets that block again instead of
/// fresh memory, which the system would map and zero page by page (above
/// glibc's mmap threshold every large allocation is a new mapping). A
/// storage from `storage(count:)` goes back to the pool when its last
/// tensor is gone; the pool keeps at most `kept` blocks and frees the rest.
public final class ScratchPool: @unchecked Sendable {
    /// The pool the tape's large kernels share.
    public static let shared = ScratchPool(kept: 2)

    private var lock = pthread_mutex_t()
    private var free: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []
    private let kept: Int

    /// A pool keeping up to `kept` returned blocks.
    public init(kept: Int) {
        self.kept = kept
        pthread_mutex_init(&lock, nil)
    }

    deinit {
        for block in free { block.pointer.deallocate() }
        pthread_mutex_destroy(&lock)
    }

    /// `count` uninitialised floats: the smallest kept block that holds
    /// them, else a new block of exactly `count`.
    public func storage(count: Int) -> TensorStorage {
        pthread_mutex_lock(&lock)
        let index = free.indices.filter { free[$0].capacity >= count }.min { free[$0].capacity < free[$1].capacity }
        let block = index.map { free.remove(at: $0) } ?? (UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1)), max(count, 1))
        pthread_mutex_unlock(&lock)
        let capacity = block.1
        return TensorStorage(borrowing: block.0, count: count) { [self] pointer in give(pointer, capacity: capacity) }
    }

    /// Blocks kept now (for tests).
    public var keptCount: Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return free.count
    }

    private func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        pthread_mutex_lock(&lock)
        free.append((pointer, capacity))
        // Keep the largest blocks: they serve every smaller request.
        free.sort { $0.capacity > $1.capacity }
        let dropped = free.count > kept ? Array(free[kept...]) : []
        free.removeLast(dropped.count)
        pthread_mutex_unlock(&lock)
        for block in dropped { block.pointer.deallocate() }
    }
}
