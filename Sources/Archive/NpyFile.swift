import Autograd
import FileIO
import Foundation

/// Standalone `.npy` files: write, read (converting byte order, layout and
/// precision when needed), and memory-map.
public enum NpyFile {
    /// Writes `tensor` as a little-endian C-order float32 `.npy` (atomically).
    public static func write(_ tensor: Tensor, to path: String) throws {
        try AtomicFile.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let out = FileHandle(forWritingAtPath: temporary) else { throw ArchiveError(path: temporary, "cannot create") }
            defer { try? out.close() }
            try out.write(contentsOf: NpyHeader.encode(shape: tensor.shape))
            try tensor.withUnsafeBufferPointer { try out.write(contentsOf: Data(buffer: $0)) }
        }
    }

    /// Reads a `.npy` file of float32 or float64 values into a tensor; the
    /// second value says what was converted, if anything.
    public static func read(path: String) throws -> (Tensor, String?) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ArchiveError(path: path, "cannot read: \(error.localizedDescription)")
        }
        let header = try NpyHeader.parse(data.prefix(max(12, NpyHeader.requiredLength(data.prefix(12)))), name: path)
        guard data.count == header.dataOffset + header.dataSize else {
            throw ArchiveError(path: path, "the header promises \(header.dataSize) bytes for shape \(header.shape) but the file holds \(data.count - header.dataOffset)")
        }
        if header.isNative {
            var tensor = Tensor(uninitializedShape: header.shape)
            tensor.withUnsafeMutableBufferPointer { dst in
                data.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(dst).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[header.dataOffset...]))
                }
            }
            return (tensor, nil)
        }
        let values = data.withUnsafeBytes { header.toNativeFloat32(UnsafeRawBufferPointer(rebasing: $0[header.dataOffset...])) }
        return (Tensor(shape: header.shape, scalars: values), header.conversionNote)
    }

    /// Memory-maps a native (little-endian, C-order, float32) `.npy` file:
    /// the tensor reads the file's pages directly, with no copy. Other
    /// layouts are refused with the reason; use `read` to convert them.
    public static func mapped(path: String) throws -> Tensor {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ArchiveError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 12 else { throw ArchiveError(path: path, "too small to be a .npy file") }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw ArchiveError(path: path, "cannot memory-map: \(String(cString: strerror(errno)))")
        }
        let bytes = Data(bytesNoCopy: base, count: size, deallocator: .none)
        let header: NpyHeader
        do {
            header = try NpyHeader.parse(bytes.prefix(min(size, NpyHeader.requiredLength(bytes.prefix(12)))), name: path)
        } catch { munmap(base, size); throw error }
        guard header.isNative, header.dataOffset % 4 == 0, size == header.dataOffset + header.dataSize else {
            munmap(base, size)
            throw ArchiveError(path: path, header.isNative ? "data size disagrees with the header"
                : "cannot memory-map: \(header.conversionNote!.replacingOccurrences(of: "converted", with: "needs")); read it instead")
        }
        let floats = (base + header.dataOffset).assumingMemoryBound(to: Float.self)
        let address = Int(bitPattern: base)
        let storage = TensorStorage(borrowing: floats, count: header.elementCount) { _ in
            munmap(UnsafeMutableRawPointer(bitPattern: address), size)
        }
        return Tensor(shape: header.shape, storage: storage)
    }
}
