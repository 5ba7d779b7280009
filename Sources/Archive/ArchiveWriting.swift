import Autograd
import FileIO
import Foundation

/// Writes and reads `.warm` archives: a tar stream (plain, gzip or zstd)
/// whose first entry, `manifest.json`, gives the size and SHA-256 of every
/// other entry.
public enum WarmArchive {
    /// Checks `contents`, then writes them to `path` through a temporary file
    /// renamed into place; returns the manifest as written. Refuses non-finite
    /// values unless `allowNonFinite`.
    @discardableResult
    public static func write(_ contents: ArchiveContents, to path: String, compression: ArchiveWriter.Compression = .zstd,
                             allowNonFinite: Bool = false) throws -> ArchiveManifest {
        var unfilled = contents  // rows and dimensions are set from the data below, whatever the manifest held
        unfilled.manifest.rows = nil
        unfilled.manifest.dimensions = nil
        try validate(unfilled, path: path, allowNonFinite: allowNonFinite)
        if let vocabulary = contents.vocabulary, let duplicate = vocabulary.firstDuplicate {
            throw ArchiveError(path: path, "the vocabulary repeats the key \(duplicate.debugDescription); keys must be unique")
        }
        var manifest = contents.manifest
        manifest.formatVersion = ArchiveManifest.currentVersion
        var payload: [(name: String, data: Data?, tensor: Tensor?, header: Data?)] = []
        if let vocabulary = contents.vocabulary { payload.append((ArchiveContents.vocabularyEntry, vocabulary.encoded(), nil, nil)) }
        for name in contents.tensors.keys.sorted(by: tensorOrder) {
            let tensor = contents.tensors[name]!
            payload.append((ArchiveContents.tensorEntry(name), nil, tensor, NpyHeader.encode(shape: tensor.shape)))
            manifest.tensors[name] = tensor.shape
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let config = contents.config { payload.append((ArchiveContents.configEntry, try encoder.encode(config), nil, nil)) }
        if let metrics = contents.metrics { payload.append((ArchiveContents.metricsEntry, try encoder.encode(metrics), nil, nil)) }
        if let card = contents.modelCard { payload.append((ArchiveContents.cardEntry, Data(card.utf8), nil, nil)) }
        if let vectors = contents.vectors {
            manifest.rows = vectors.shape.first
            manifest.dimensions = vectors.shape.last
        }
        manifest.entries = payload.map { item in
            var digest = SHA256Stream()
            if let data = item.data { digest.update(data) }
            if let header = item.header, let tensor = item.tensor {
                digest.update(header)
                tensor.withUnsafeBufferPointer { digest.update(UnsafeRawBufferPointer($0)) }
                return .init(name: item.name, size: Int64(header.count + tensor.count * 4), sha256: digest.hexDigest())
            }
            return .init(name: item.name, size: Int64(item.data!.count), sha256: digest.hexDigest())
        }
        manifest.created = ISO8601DateFormatter().string(from: Date())
        let manifestData = try manifest.encoded()
        try AtomicFile.write(to: path) { temporary in
            let writer = try ArchiveWriter(path: temporary, compression: compression)
            try writer.addFile(name: ArchiveContents.manifestEntry, data: manifestData)
            var manifestDigest = SHA256Stream()
            manifestDigest.update(manifestData)
            try writer.addFile(name: ArchiveContents.manifestDigestEntry, data: Data((manifestDigest.hexDigest() + "\n").utf8))
            for (item, entry) in zip(payload, manifest.entries) {
                if let data = item.data {
                    try writer.addFile(name: item.name, data: data)
                } else if let header = item.header, let tensor = item.tensor {
                    try writer.addFile(name: item.name, size: entry.size) { sink in
                        try header.withUnsafeBytes { try sink($0) }
                        try tensor.withUnsafeBufferPointer { values in
                            let bytes = UnsafeRawBufferPointer(values)
                            var offset = 0
                            while offset < bytes.count {  // 4 MiB chunks
                                let end = min(offset + (4 << 20), bytes.count)
                                try sink(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                                offset = end
                            }
                        }
                    }
                }
            }
            try writer.close()
        }
        return manifest
    }

    /// vectors first, context second, then by name.
    static func tensorOrder(_ a: String, _ b: String) -> Bool {
        let rank = { (n: String) in n == "vectors" ? 0 : n == "context" ? 1 : 2 }
        return rank(a) != rank(b) ? rank(a) < rank(b) : a < b
    }

    /// Checks kind, element type, shapes (the manifest's rows and dimensions
    /// against the data; no zero-width vectors), vocabulary length, tensor
    /// names and finiteness. (Duplicate keys are checked where vocabularies
    /// are made: on write, and while `vocab.tsv` is parsed.)
    static func validate(_ contents: ArchiveContents, path: String, allowNonFinite: Bool) throws {
        let manifest = contents.manifest
        let kind = manifest.kind
        guard kind == "embeddings" || kind == "model" else {
            throw ArchiveError(path: path, "manifest kind '\(kind)' is neither embeddings nor model")
        }
        guard manifest.dtype == "float32", manifest.byteOrder == "little" else {
            throw ArchiveError(path: path, entry: ArchiveContents.manifestEntry,
                "dtype '\(manifest.dtype)' and byteOrder '\(manifest.byteOrder)': Warmstart archives hold little-endian float32 only")
        }
        if let vectors = contents.vectors, vectors.rank == 2 {
            guard vectors.shape[1] > 0 else {
                throw ArchiveError(path: path, entry: "vectors.npy", "the vectors have width 0; an embedding needs at least one dimension")
            }
            // Only archives read back have filled-in rows/dimensions; on write they are set from the data.
            if manifest.rows != nil || manifest.dimensions != nil, manifest.rows != vectors.shape[0] || manifest.dimensions != vectors.shape[1] {
                throw ArchiveError(path: path, entry: ArchiveContents.manifestEntry,
                    "the manifest says \(manifest.rows.map(String.init) ?? "no") rows x \(manifest.dimensions.map(String.init) ?? "no") dimensions, the vectors are \(vectors.shape[0]) x \(vectors.shape[1])")
            }
        }
        if kind == "embeddings" {
            guard let vectors = contents.vectors, vectors.rank == 2 else {
                throw ArchiveError(path: path, "an embeddings archive needs a 2-D 'vectors' tensor")
            }
            guard let vocabulary = contents.vocabulary else { throw ArchiveError(path: path, "an embeddings archive needs a vocabulary") }
            guard vocabulary.count == vectors.shape[0] else {
                throw ArchiveError(path: path, "the vocabulary has \(vocabulary.count) keys but the matrix has \(vectors.shape[0]) rows")
            }
        }
        for (name, tensor) in contents.tensors {
            guard ArchiveContents.isValidTensorName(name) else {
                throw ArchiveError(path: path, "tensor name '\(name)' may use only letters, digits, '_', '-' and '.'")
            }
            if !allowNonFinite { try checkFinite(tensor, path: path, entry: ArchiveContents.tensorEntry(name)) }
        }
    }

    /// The flat index of the first value of `tensor` that is not finite.
    static func firstNonFinite(_ tensor: Tensor) -> Int? {
        tensor.withUnsafeBufferPointer { v -> Int? in
            // Finite floats have an exponent below all ones; scan blocks branch-free, then find the element.
            let bits = UnsafeRawBufferPointer(v).bindMemory(to: UInt32.self)
            var block = 0
            while block < bits.count {
                let end = min(block + 4096, bits.count)
                var flagged: UInt32 = 0
                for i in block..<end { flagged |= (bits[i] & 0x7F80_0000) == 0x7F80_0000 ? 1 : 0 }
                if flagged != 0 { return (block..<end).first { !v[$0].isFinite } }
                block = end
            }
            return nil
        }
    }

    /// Throws naming the first non-finite value of `tensor`.
    static func checkFinite(_ tensor: Tensor, path: String, entry: String) throws {
        if let bad = firstNonFinite(tensor) {
            let row = tensor.rank >= 2 ? bad / tensor.lastDimension : 0
            throw ArchiveError(path: path, entry: entry,
                "value \(tensor[flat: bad]) at row \(row), element \(bad); refusing non-finite values (pass --allow-nonfinite to keep them)")
        }
    }
}
