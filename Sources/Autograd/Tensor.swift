#if canImport(Glibc)
import Glibc
import CBLAS

/// glibc maps every block above 128 KiB fresh from the kernel and unmaps it
/// on free, so each training step would page-fault its activations in anew
/// (measured: 2.5x the time of the matmuls at 1024x64). Keeping blocks up to
/// 64 MiB on the heap, and freed memory up to 512 MiB, lets steps reuse them.
private let allocatorTuning: Void = {
    _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
    _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
}()
#else
private let allocatorTuning: Void = ()
#endif

/// Contiguous Float32 memory shared by tensor values until one of them writes.
public final class TensorStorage: @unchecked Sendable {
    /// Number of Float32 elements.
    public let count: Int
    /// Start of the elements.
    public let pointer: UnsafeMutablePointer<Float>
    private let release: (@Sendable (UnsafeMutablePointer<Float>) -> Void)?

    /// Allocates `count` uninitialised elements.
    init(count: Int) {
        allocatorTuning
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
        release = nil
    }

    /// Wraps memory owned elsewhere (for example a memory-mapped file);
    /// `release` is called once the last tensor using it is gone.
    public init(borrowing pointer: UnsafeMutablePointer<Float>, count: Int,
                release: @escaping @Sendable (UnsafeMutablePointer<Float>) -> Void) {
        self.count = count
        self.pointer = pointer
        self.release = release
    }

    deinit {
        if let release { release(pointer) } else { pointer.deallocate() }
    }
}

/// A row-major Float32 array with a shape. A value type: copies share memory
/// until one of them is written to (copy on write).
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The shared element memory.
    public private(set) var storage: TensorStorage

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Size of the last dimension (1 for a scalar).
    public var lastDimension: Int { shape.last ?? 1 }
    /// Number of rows when the tensor is seen as a matrix of `lastDimension` columns.
    public var rowCount: Int { lastDimension == 0 ? 0 : count / lastDimension }
    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements of `shape`, or nil when a dimension is
    /// negative or the product overflows `Int`. Readers check sizes taken
    /// from a file with this before they allocate anything.
    public static func elementCount(ofShape shape: [Int]) -> Int? {
        var total = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// The bytes of `shape` at `elementSize` bytes each, or nil when that
    /// overflows `Int` or a dimension is negative.
    public static func byteCount(ofShape shape: [Int], elementSize: Int) -> Int? {
        guard let n = elementCount(ofShape: shape) else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: elementSize)
        return overflow ? nil : bytes
    }

    /// A tensor of the given shape with every element uninitialised.
    /// Callers must write every element before reading.
    public init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        self.shape = shape
        storage = TensorStorage(count: shape.reduce(1, *))
    }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(uninitializedShape: shape)
        storage.pointer.initialize(repeating: value, count: count)
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(shape: shape, repeating: 0) }

    /// A tensor holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        self.init(uninitializedShape: shape)
        precondition(scalars.count == count,
                     "Tensor: \(scalars.count) scalars do not fill shape \(shape) (\(count) elements)")
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// A scalar (rank-0) tensor.
    public init(scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// A tensor over existing storage (no copy).
    public init(shape: [Int], storage: TensorStorage) {
        precondition(shape.reduce(1, *) == storage.count,
                     "Tensor: shape \(shape) does not match \(storage.count) stored elements")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor whose elements are drawn from N(mean, std²).
    public static func normal(shape: [Int], mean: Float = 0, std: Float = 1,
                              using rng: inout SeededGenerator) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = mean + std * rng.nextNormal() }
        t.shape = shape
        return t
    }

    /// A tensor whose elements are drawn uniformly from [low, high).
    public static func uniform(shape: [Int], low: Float, high: Float,
                               using rng: inout SeededGenerator) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = low + (high - low) * rng.nextUnitFloat() }
        return t
    }

    /// The elements in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements")
        return storage.pointer[0]
    }

    /// Element at a flat row-major index.
    public subscript(flat index: Int) -> Float {
        get { storage.pointer[index] }
        set { makeUnique(); storage.pointer[index] = newValue }
    }

    /// Element at `row`, `column` of a tensor seen as a matrix.
    public subscript(row: Int, column: Int) -> Float {
        get { storage.pointer[row * lastDimension + column] }
        set { makeUnique(); storage.pointer[row * lastDimension + column] = newValue }
    }

    /// The same elements under another shape with the same element count (no copy).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count,
                     "reshape: cannot view shape \(shape) (\(count) elements) as \(newShape)")
        return Tensor(shape: newShape, storage: storage)
    }

    /// Read-only access to the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Write access to the elements; copies first if the memory is shared.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Copies the storage if another tensor shares it.
    public mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = TensorStorage(count: count)
            copy.pointer.initialize(from: storage.pointer, count: count)
            storage = copy
        }
    }

    /// A short description: shape and the first few elements.
    public var description: String {
        let head = (0..<Swift.min(count, 6)).map { String(storage.pointer[$0]) }
        return "Tensor\(shape)[\(head.joined(separator: ", "))\(count > 6 ? ", …" : "")]"
    }
}
