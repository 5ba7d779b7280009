import Autograd
import Foundation

/// The NumPy `.npy` header (format versions 1, 2 and 3), as numpy.lib.format
/// writes it: magic, version, header length, a Python dict literal padded so
/// that the data starts at a multiple of 64 bytes.
public struct NpyHeader: Equatable, Sendable {
    /// Element types Warmstart reads. It writes only little-endian float32.
    public enum ElementType: String, Sendable { case float32 = "f4", float64 = "f8" }

    /// The element type.
    public var elementType: ElementType
    /// True for big-endian data (`>`).
    public var bigEndian: Bool
    /// True for column-major (Fortran) order.
    public var fortranOrder: Bool
    /// The array's shape.
    public var shape: [Int]
    /// Bytes before the data (magic, version, length, dict, padding).
    public var dataOffset: Int

    /// Bytes per element.
    public var elementSize: Int { elementType == .float32 ? 4 : 8 }
    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
    /// Bytes of data the header promises.
    public var dataSize: Int { elementCount * elementSize }
    /// True when the data can be used as Float32 memory as it is.
    public var isNative: Bool { elementType == .float32 && !bigEndian && !fortranOrder }

    /// A little-endian, C-order float32 header for `shape`.
    public init(float32Shape shape: [Int]) {
        elementType = .float32
        bigEndian = false
        fortranOrder = false
        self.shape = shape
        dataOffset = NpyHeader.encode(shape: shape).count
    }

    init(elementType: ElementType, bigEndian: Bool, fortranOrder: Bool, shape: [Int], dataOffset: Int) {
        self.elementType = elementType
        self.bigEndian = bigEndian
        self.fortranOrder = fortranOrder
        self.shape = shape
        self.dataOffset = dataOffset
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// The header bytes for a little-endian, C-order float32 array of `shape`
    /// (version 1.0, or 2.0 when the dict is longer than 65,535 bytes).
    public static func encode(shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let v2 = dict.utf8.count + 1 + 10 > 65_535
        let prefix = v2 ? 12 : 10
        let total = (prefix + dict.utf8.count + 1 + 63) / 64 * 64
        dict += String(repeating: " ", count: total - prefix - dict.utf8.count - 1) + "\n"
        var data = Data(magic)
        data.append(contentsOf: v2 ? [2, 0] : [1, 0])
        let length = dict.utf8.count
        if v2 {
            data.append(contentsOf: withUnsafeBytes(of: UInt32(length).littleEndian, Array.init))
        } else {
            data.append(contentsOf: withUnsafeBytes(of: UInt16(length).littleEndian, Array.init))
        }
        data.append(contentsOf: dict.utf8)
        return data
    }

    /// How many leading bytes must be read before `parse` can succeed: the
    /// fixed prefix, then the whole dict once the prefix is known.
    public static func requiredLength(_ prefix: Data) -> Int {
        guard prefix.count >= 10 else { return 10 }
        let bytes = [UInt8](prefix.prefix(12))
        if bytes[6] == 1 { return 10 + Int(UInt16(bytes[8]) | UInt16(bytes[9]) << 8) }
        guard bytes.count >= 12 else { return 12 }
        return 12 + Int(UInt32(bytes[8]) | UInt32(bytes[9]) << 8 | UInt32(bytes[10]) << 16 | UInt32(bytes[11]) << 24)
    }

    /// Parses a header from the first bytes of a file; `name` is used in errors.
    public static func parse(_ data: Data, name: String) throws -> NpyHeader {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw ArchiveError(path: name, "not a .npy file (no \\x93NUMPY magic)")
        }
        guard [1, 2, 3].contains(bytes[6]) else {
            throw ArchiveError(path: name, ".npy format version \(bytes[6]).\(bytes[7]) is not one numpy writes (1, 2, 3)")
        }
        let end = requiredLength(data)
        let start = bytes[6] == 1 ? 10 : 12
        guard bytes.count >= end else { throw ArchiveError(path: name, ".npy header is cut short") }
        guard let dict = String(bytes: bytes[start..<end], encoding: bytes[6] == 3 ? .utf8 : .isoLatin1) else {
            throw ArchiveError(path: name, ".npy header is not text")
        }
        func value(_ key: String) throws -> Substring {
            guard let range = dict.range(of: "'\(key)':") else {
                throw ArchiveError(path: name, ".npy header has no '\(key)': \(dict.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return dict[range.upperBound...].drop { $0 == " " }
        }
        let descrField = try value("descr")
        guard let quoteEnd = descrField.dropFirst().firstIndex(of: "'") else { throw ArchiveError(path: name, ".npy descr is not a string") }
        let descr = String(descrField[descrField.index(after: descrField.startIndex)..<quoteEnd])
        let order = descr.first
        let code = String(descr.dropFirst())
        guard let type = ElementType(rawValue: code), order == "<" || order == ">" || order == "=" || order == "|" else {
            throw ArchiveError(path: name, ".npy dtype '\(descr)' is not float32 or float64; Warmstart reads only those")
        }
        let fortran = try value("fortran_order")
        guard fortran.hasPrefix("True") || fortran.hasPrefix("False") else {
            throw ArchiveError(path: name, ".npy fortran_order is neither True nor False")
        }
        let shapeField = try value("shape")
        guard shapeField.first == "(", let close = shapeField.firstIndex(of: ")") else {
            throw ArchiveError(path: name, ".npy shape is not a tuple")
        }
        let parts = shapeField[shapeField.index(after: shapeField.startIndex)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = try parts.map { part -> Int in
            guard let n = Int(part), n >= 0 else { throw ArchiveError(path: name, ".npy shape has '\(part)', not a size") }
            return n
        }
        guard let bytes = Tensor.byteCount(ofShape: shape, elementSize: type == .float32 ? 4 : 8),
              bytes <= Int.max - end else {
            throw ArchiveError(path: name, ".npy shape \(shape) is larger than any file this machine can address; the header is damaged")
        }
        return NpyHeader(elementType: type, bigEndian: order == ">", fortranOrder: fortran.hasPrefix("True"),
                         shape: shape, dataOffset: end)
    }

    /// What `toNativeFloat32` does to data under this header, for messages.
    public var conversionNote: String? {
        var steps: [String] = []
        if elementType == .float64 { steps.append("float64 to float32") }
        if bigEndian { steps.append("big-endian to little-endian") }
        if fortranOrder { steps.append("Fortran order to C order") }
        return steps.isEmpty ? nil : "converted " + steps.joined(separator: ", ")
    }

    /// Converts raw data under this header into little-endian C-order float32 values.
    public func toNativeFloat32(_ raw: UnsafeRawBufferPointer) -> [Float] {
        let n = elementCount
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n {
            if elementType == .float32 {
                var bits = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                bits = bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                values[i] = Float(bitPattern: bits)
            } else {
                var bits = raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                bits = bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                values[i] = Float(Double(bitPattern: bits))
            }
        }
        guard fortranOrder, shape.count >= 2 else { return values }
        // Column-major to row-major for any rank: reverse the index order.
        var strides = [Int](repeating: 1, count: shape.count)
        for d in 1..<shape.count { strides[d] = strides[d - 1] * shape[d - 1] }
        var result = [Float](repeating: 0, count: n)
        var index = [Int](repeating: 0, count: shape.count)
        for flat in 0..<n {
            var source = 0
            for d in 0..<shape.count { source += index[d] * strides[d] }
            result[flat] = values[source]
            var d = shape.count - 1
            while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
        }
        return result
    }
}
