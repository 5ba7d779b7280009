import Autograd
import FileIO
import Foundation

/// safetensors: an 8-byte little-endian header length, a JSON header naming
/// each tensor's dtype, shape and byte range, then the data. Keys travel in
/// the header's `__metadata__` as a JSON array string under "keys".
enum SafetensorsFormat {
    static func write(_ tensors: [String: Tensor], keys: [String]?, to path: String) throws {
        var header: [String: Any] = [:]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.count * 4]]
            offset += t.count * 4
        }
        if let keys {
            let keyJSON = String(decoding: try JSONSerialization.data(withJSONObject: keys), as: UTF8.self)
            header["__metadata__"] = ["format": "pt", "keys": keyJSON]
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(32) }  // pad with spaces to 8-byte alignment
        try AtomicFile.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let out = FileHandle(forWritingAtPath: temporary) else { throw ArchiveError(path: temporary, "cannot create") }
            defer { try? out.close() }
            try out.write(contentsOf: withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) })
            try out.write(contentsOf: json)
            for name in names { try tensors[name]!.withUnsafeBufferPointer { try out.write(contentsOf: Data(buffer: $0)) } }
        }
    }

    /// The largest JSON header accepted (the safetensors specification's limit).
    static let maxHeaderBytes: UInt64 = 100_000_000

    static func read(path: String) throws -> ([String: Tensor], [String]?) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ArchiveError(path: path, "cannot read: \(error.localizedDescription)")
        }
        guard data.count >= 8 else { throw ArchiveError(path: path, "too small to be a safetensors file") }
        let declared = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared > 0, declared <= maxHeaderBytes, declared <= UInt64(data.count - 8) else {
            throw ArchiveError(path: path, "the header length field says \(declared) bytes, but the file holds \(data.count - 8) after it (limit \(maxHeaderBytes)): not a safetensors file, or a damaged one")
        }
        let length = Int(declared)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any] else {
            throw ArchiveError(path: path, "the safetensors header is not a JSON object")
        }
        let base = 8 + length
        let dataBytes = data.count - base
        var tensors: [String: Tensor] = [:]
        var ranges: [(begin: Int, end: Int, name: String)] = []
        var keys: [String]?
        for name in header.keys.sorted() {
            let value = header[name]!
            if name == "__metadata__" {
                if let meta = value as? [String: String], let k = meta["keys"],
                   let decoded = try? JSONSerialization.jsonObject(with: Data(k.utf8)) as? [String] { keys = decoded }
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                throw ArchiveError(path: path, "tensor '\(name)' has an incomplete header entry (dtype, shape and two data_offsets)")
            }
            guard dtype == "F32" else { throw ArchiveError(path: path, "tensor '\(name)' is \(dtype); Warmstart reads F32 only") }
            guard let bytes = Tensor.byteCount(ofShape: shape, elementSize: 4) else {
                throw ArchiveError(path: path, "tensor '\(name)': shape \(shape) has a negative dimension or more elements than fit in memory")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin, end <= dataBytes, end - begin == bytes else {
                throw ArchiveError(path: path, "tensor '\(name)': byte range \(offsets) does not fit shape \(shape) (\(bytes) bytes) in the \(dataBytes) data bytes of the file")
            }
            ranges.append((begin, end, name))
        }
        ranges.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.begin < a.end {
            throw ArchiveError(path: path, "tensors '\(a.name)' \([a.begin, a.end]) and '\(b.name)' \([b.begin, b.end]) overlap; each tensor needs its own bytes")
        }
        for r in ranges {
            let shape = (header[r.name] as! [String: Any])["shape"] as! [Int]
            var t = Tensor(uninitializedShape: shape)
            t.withUnsafeMutableBufferPointer { dst in
                data.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(dst).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(base + r.begin)..<(base + r.end)]))
                }
            }
            tensors[r.name] = t
        }
        return (tensors, keys)
    }
}
