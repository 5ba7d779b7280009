import Autograd
import FileIO
import Foundation

/// Files other tools read and write: word2vec text and binary (gensim,
/// fastText, the original C tool), `.npy` plus a vocabulary, safetensors, and
/// TensorBoard projector TSV files.
public enum InterchangeFormat: String, CaseIterable, Sendable {
    /// `rows dim` then `key v1 v2 …` per line.
    case word2vecText = "word2vec-text"
    /// `rows dim\n` then `key ` and dim little-endian float32 per row, each row ended by `\n`.
    case word2vecBinary = "word2vec-binary"
    /// A folder with `vectors.npy` and `vocab.tsv`.
    case npy
    /// A `.safetensors` file (tensor "vectors", keys in its metadata) — as safetensors, numpy and PyTorch read it.
    case safetensors
    /// TensorBoard projector `vectors.tsv` and `metadata.tsv` in a folder (export only).
    case projector
}

/// Exports and imports keyed embeddings.
public enum Interchange {
    /// Writes `embeddings` to `path` in `format` (a file, or a folder for npy and projector).
    public static func export(_ embeddings: KeyedEmbeddings, counts: [Int]? = nil, format: InterchangeFormat, to path: String) throws {
        switch format {
        case .word2vecText: try Word2VecFormat.writeText(embeddings, to: path)
        case .word2vecBinary: try Word2VecFormat.writeBinary(embeddings, to: path)
        case .npy:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try NpyFile.write(embeddings.vectors, to: path + "/vectors.npy")
            try AtomicFile.write(ArchiveVocabulary(keys: embeddings.keys, counts: counts).encoded(), to: path + "/vocab.tsv")
        case .safetensors: try SafetensorsFormat.write(["vectors": embeddings.vectors], keys: embeddings.keys, to: path)
        case .projector: try ProjectorFormat.write(embeddings, counts: counts, to: path)
        }
    }

    /// `import` packed as an archive (method "imported", the file's
    /// SHA-256 as its data fingerprint), with the conversion notes.
    public static func importedArchive(format: InterchangeFormat, from path: String,
                                       allowNonFinite: Bool = false) throws -> (ArchiveContents, [String]) {
        let (embeddings, counts, notes) = try self.import(format: format, from: path, allowNonFinite: allowNonFinite)
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let fingerprint = (try? SHA256Stream.file(isFolder.boolValue ? path + "/vectors.npy" : path)) ?? ""
        let manifest = ArchiveManifest(kind: "embeddings", method: "imported", hyperparameters: ["source_format": .string(format.rawValue)],
                                       seed: 0, threads: 1, data: .init(name: path, fingerprint: fingerprint, split: "unknown (imported)"))
        return (ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: embeddings.keys, counts: counts),
                                tensors: ["vectors": embeddings.vectors]), notes)
    }

    /// Reads keyed embeddings from `path` in `format`, with notes on any
    /// conversion. Refuses NaN and infinite values (naming the line or row
    /// and key) unless `allowNonFinite`.
    public static func `import`(format: InterchangeFormat, from path: String, allowNonFinite: Bool = false) throws -> (KeyedEmbeddings, [Int]?, [String]) {
        switch format {
        case .word2vecText: return (try Word2VecFormat.readText(path: path, allowNonFinite: allowNonFinite), nil, [])
        case .word2vecBinary:
            let embeddings = try Word2VecFormat.readBinary(path: path)
            if !allowNonFinite { try checkFinite(embeddings, path: path) }
            return (embeddings, nil, [])
        case .npy:
            let (vectors, note) = try NpyFile.read(path: path + "/vectors.npy")
            guard let data = FileManager.default.contents(atPath: path + "/vocab.tsv") else {
                throw ArchiveError(path: path + "/vocab.tsv", "missing: an npy export needs vectors.npy and vocab.tsv")
            }
            let vocabulary = try ArchiveVocabulary.decode(data, name: path + "/vocab.tsv")
            guard vectors.rank == 2 else { throw ArchiveError(path: path + "/vectors.npy", "holds shape \(vectors.shape), not a matrix of rows x dimensions") }
            let embeddings = try KeyedEmbeddings(keys: vocabulary.keys, vectors: vectors, source: path)
            if !allowNonFinite { try checkFinite(embeddings, path: path + "/vectors.npy") }
            return (embeddings, vocabulary.counts, note.map { [$0] } ?? [])
        case .safetensors:
            let (tensors, keys) = try SafetensorsFormat.read(path: path)
            guard let vectors = tensors["vectors"] ?? tensors.values.first(where: { $0.rank == 2 }) else {
                throw ArchiveError(path: path, "holds no 2-D tensor")
            }
            guard let keys else { throw ArchiveError(path: path, "has no 'keys' metadata; cannot pair rows with keys") }
            let embeddings = try KeyedEmbeddings(keys: keys, vectors: vectors, source: path)
            if !allowNonFinite { try checkFinite(embeddings, path: path) }
            return (embeddings, nil, [])
        case .projector:
            throw ArchiveError(path: path, "the projector format is export only")
        }
    }

    /// Throws naming the row and key of the first value that is not finite.
    private static func checkFinite(_ embeddings: KeyedEmbeddings, path: String) throws {
        guard let bad = WarmArchive.firstNonFinite(embeddings.vectors) else { return }
        let row = bad / embeddings.dimension
        throw ArchiveError(path: path, "row \(row + 1), key \(embeddings.keys[row].debugDescription): value \(embeddings.vectors[flat: bad]) is not finite; refusing it")
    }
}
