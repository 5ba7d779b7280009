#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Bytes of Float32 data collected as they arrive from a file, in memory
/// that grows with what has arrived (never with what a header declares), then
/// handed to a tensor without a copy. Readers of archives and interchange
/// files use it so that a damaged or hostile header cannot make them allocate
/// more than the data present.
public final class GrowingTensorBuffer {
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0
    /// Bytes appended so far.
    public private(set) var byteCount = 0

    /// An empty buffer.
    public init() {}

    deinit { free(base) }

    /// Appends `bytes`, growing the memory geometrically.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let needed = byteCount + bytes.count
        if needed > capacity {
            let grown = Swift.max(needed, capacity + capacity / 2, 1 << 16)
            guard let moved = realloc(base, grown) else { fatalError("GrowingTensorBuffer: out of memory for \(grown) bytes") }
            base = moved
            capacity = grown
        }
        (base! + byteCount).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        byteCount = needed
    }

    /// The collected bytes as a tensor of `shape`; nil when they are not
    /// exactly that shape's Float32 elements. The buffer is empty afterwards.
    public func takeTensor(shape: [Int]) -> Tensor? {
        guard let count = Tensor.elementCount(ofShape: shape),
              Tensor.byteCount(ofShape: shape, elementSize: 4) == byteCount else { return nil }
        if count == 0 { free(base); base = nil; capacity = 0; byteCount = 0; return Tensor(zeros: shape) }
        let memory = realloc(base, byteCount) ?? base!  // give back the unused tail
        base = nil; capacity = 0; byteCount = 0
        let floats = memory.bindMemory(to: Float.self, capacity: count)
        let storage = TensorStorage(borrowing: floats, count: count) { pointer in free(UnsafeMutableRawPointer(pointer)) }
        return Tensor(shape: shape, storage: storage)
    }
}
