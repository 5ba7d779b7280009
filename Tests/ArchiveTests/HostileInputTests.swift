import Archive
import Autograd
import FileIO
import Foundation
import Testing

/// Sizes, counts and fields taken from a file are checked before use: each
/// input here once crashed the tool, allocated what a header declared, or was
/// accepted though damaged. Each must end in an ArchiveError naming the file.
@Suite("Hostile archives and imports: no crash, no silent acceptance")
struct HostileInputTests {
    /// An `.npy` header (version 1) for `shape` and `descr`, with `data` after it.
    private func npy(shapeText: String, descr: String = "<f4", data: Data = Data()) -> Data {
        let dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let padded = dict + String(repeating: " ", count: (64 - (10 + dict.utf8.count + 1) % 64) % 64) + "\n"
        var bytes = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        bytes.append(contentsOf: withUnsafeBytes(of: UInt16(padded.utf8.count).littleEndian, Array.init))
        bytes.append(contentsOf: padded.utf8)
        bytes.append(data)
        return bytes
    }

    private func write(_ data: Data, _ name: String) throws -> String {
        let path = try temporaryFolder() + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("an .npy shape whose size overflows Int, in an archive whose manifest agrees, and as an import")
    func overflowingNpyShapes() throws {
        let huge = npy(shapeText: "(4294967296, 4294967296)")
        let path = try temporaryFolder() + "/huge.warm"
        try craftArchive(at: path, listed: [("vectors.npy", huge)], tensors: ["vectors": [1 << 32, 1 << 32]],
                         entries: [.file("vectors.npy", huge)])
        let e = archiveError { _ = try WarmArchive.read(path: path) }
        #expect(e?.path.hasPrefix(path) == true && e!.message.contains("larger than any file"), "\(String(describing: e))")
        let file = try write(npy(shapeText: "(4611686018427387904, 4)"), "import.npy")
        let f = archiveError { _ = try NpyFile.read(path: file) }
        #expect(f?.path == file && f!.message.contains("larger than any file"), "\(String(describing: f))")
    }

    @Test("word2vec headers that declare more rows than the file can hold (text and binary)",
          arguments: ["4611686018427387904 4", "1000000000000 100", "3 4611686018427387904"])
    func word2vecHeaders(header: String) throws {
        let path = try write(Data((header + "\na 1 2 3 4\n").utf8), "w.txt")
        for format in [InterchangeFormat.word2vecText, .word2vecBinary] {
            let e = archiveError { _ = try Interchange.import(format: format, from: path) }
            #expect(e?.path == path && e!.message.contains("line 1"), "\(format): \(String(describing: e))")
        }
    }

    @Test("safetensors: header lengths past the file, overflowing or negative shapes, overlapping ranges")
    func safetensorsHeaders() throws {
        func file(length: UInt64, header: String, data: Int = 32) throws -> String {
            var bytes = withUnsafeBytes(of: length.littleEndian) { Data($0) }
            bytes.append(contentsOf: header.utf8)
            bytes.append(Data(count: data))
            return try write(bytes, "t.safetensors")
        }
        let good = #"{"vectors":{"dtype":"F32","shape":[2,4],"data_offsets":[0,32]},"__metadata__":{"keys":"[\"a\",\"b\"]"}}"#
        let (ok, _, _) = try Interchange.import(format: .safetensors, from: try file(length: UInt64(good.utf8.count), header: good))
        #expect(ok.keys == ["a", "b"] && ok.dimension == 4)
        for length in [UInt64.max, UInt64(1) << 63 - 4] {
            let path = try file(length: length, header: good)
            let e = archiveError { _ = try Interchange.import(format: .safetensors, from: path) }
            #expect(e?.path == path && e!.message.contains("header length"), "\(String(describing: e))")
        }
        let bad: [(String, String)] = [
            (#"{"vectors":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,32]}}"#, "negative dimension or more elements"),
            (#"{"vectors":{"dtype":"F32","shape":[-2,-4],"data_offsets":[0,32]}}"#, "negative dimension"),
            (#"{"vectors":{"dtype":"F32","shape":[2,4],"data_offsets":[9223372036854775807,32]}}"#, "does not fit"),
            (#"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}"#, "overlap"),
        ]
        for (header, expected) in bad {
            let path = try file(length: UInt64(header.utf8.count), header: header)
            let e = archiveError { _ = try Interchange.import(format: .safetensors, from: path) }
            #expect(e?.path == path && e!.message.contains(expected), "\(header): \(String(describing: e))")
        }
    }

    @Test("an archive whose manifest declares more than the file may expand to is refused before anything is read")
    func expansionLimit() throws {
        let dir = try temporaryFolder()
        var contents = sampleContents(rows: 4000, dimension: 64)
        contents.tensors["vectors"] = Tensor(zeros: [4000, 64])  // compresses about a thousandfold
        contents.tensors["context"] = nil
        try WarmArchive.write(contents, to: dir + "/zeros.warm", compression: .zstd)
        _ = try WarmArchive.read(path: dir + "/zeros.warm")  // within the standard limit (64 MiB floor)
        let strict = ArchiveReadLimits(maxExpansion: 10, floorBytes: 0)
        let e = archiveError { _ = try WarmArchive.read(path: dir + "/zeros.warm", limits: strict) }
        #expect(e?.path == dir + "/zeros.warm" && e!.message.contains("decompression bomb"), "\(String(describing: e))")
        // A manifest that declares 10^12 x 16 rows of data the tar does not hold.
        let v = npyBytes(shape: [2, 2], values: [1, 2, 3, 4])
        let path = dir + "/declares.warm"
        try craftArchive(at: path, listed: [("vectors.npy", v)], tensors: ["vectors": [2, 2]], entries: [.file("vectors.npy", v)]) { m in
            m["entries"] = [["name": "vectors.npy", "size": 64_000_000_000_128, "sha256": sha256(v)]]
        }
        let d = archiveError { _ = try WarmArchive.read(path: path) }
        #expect(d?.message.contains("declare 64000000000128 bytes") == true, "\(String(describing: d))")
    }

    @Test("a one-character edit of the manifest is caught by its digest, even when it claims format 1",
          arguments: [("\"seed\" : 1", "\"seed\" : 7"), ("\"formatVersion\" : 2", "\"formatVersion\" : 1"),
                      ("\"window\" : 5", "\"window\" : 9"), ("\"rows\" : 6", "\"rows\" : 5"), ("\"fingerprint\" : \"abc\"", "\"fingerprint\" : \"abd\"")])
    func manifestEdits(original: String, edited: String) throws {
        let dir = try temporaryFolder()
        try WarmArchive.write(sampleContents(), to: dir + "/a.warm", compression: .none)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.warm"))
        let range = try #require(bytes.range(of: Data(original.utf8)), "the manifest holds \(original)")
        bytes.replaceSubrange(range, with: Data(edited.utf8))
        try bytes.write(to: URL(fileURLWithPath: dir + "/edited.warm"))
        for read in [{ _ = try WarmArchive.read(path: dir + "/edited.warm") }, { _ = try WarmArchive.readManifest(path: dir + "/edited.warm") }] {
            let e = archiveError(read)
            #expect(e?.entry == "manifest.json" && e!.message.contains("manifest was changed or damaged"), "\(String(describing: e))")
        }
    }

    @Test("without a digest (format 1), declared rows and dimensions are still checked against the data")
    func declaredShape() throws {
        let vocab = Data("# key\tcount\trole\na\t1\t\nb\t2\t\n".utf8), v = npyBytes(shape: [2, 2], values: [1, 2, 3, 4])
        let path = try temporaryFolder() + "/rows.warm"
        try craftArchive(at: path, listed: [("vocab.tsv", vocab), ("vectors.npy", v)], tensors: ["vectors": [2, 2]],
                         entries: [.file("vocab.tsv", vocab), .file("vectors.npy", v)]) { m in
            m["kind"] = "embeddings"; m["rows"] = 2000; m["dimensions"] = 2
        }
        let e = archiveError { _ = try WarmArchive.read(path: path) }
        #expect(e?.message.contains("says 2000 rows x 2 dimensions, the vectors are 2 x 2") == true, "\(String(describing: e))")
    }

    @Test("zero-width vectors are refused: in an archive, on write and on import")
    func zeroWidth() throws {
        let vocab = Data("# key\tcount\trole\na\t1\t\nb\t2\t\n".utf8), v = npyBytes(shape: [2, 0], values: [])
        let path = try temporaryFolder() + "/zero.warm"
        try craftArchive(at: path, listed: [("vocab.tsv", vocab), ("vectors.npy", v)], tensors: ["vectors": [2, 0]],
                         entries: [.file("vocab.tsv", vocab), .file("vectors.npy", v)]) { m in m["kind"] = "embeddings" }
        #expect(archiveError { _ = try WarmArchive.read(path: path) }?.message.contains("width 0") == true)
        var contents = sampleContents()
        contents.tensors["vectors"] = Tensor(zeros: [6, 0])
        #expect(archiveError { try WarmArchive.write(contents, to: path + ".out") }?.message.contains("width 0") == true)
        #expect(!FileManager.default.fileExists(atPath: path + ".out"))
        #expect(archiveError { _ = try KeyedEmbeddings(keys: ["a"], vectors: Tensor(zeros: [1, 0]), source: "x.npy") }?.path == "x.npy")
    }

    @Test("a damaged manifest field is one plain sentence, no Swift internals")
    func plainManifestErrors() throws {
        let path = try temporaryFolder() + "/m.warm"
        try craftArchive(at: path, listed: [], entries: []) { m in m["seed"] = "seven"; m.removeValue(forKey: "threads") }
        let e = archiveError { _ = try WarmArchive.read(path: path) }
        #expect(e?.message.hasPrefix("manifest.json: ") == true && !e!.message.contains("DecodingError") && !e!.message.contains("CodingKeys"),
                "\(String(describing: e))")
        #expect(e!.message.contains("'seed'") || e!.message.contains("'threads'"))
    }

    @Test("non-finite values and duplicate keys on import name the input file, its line or row, and the key")
    func importedValues() throws {
        let text = try write(Data("2 3\na 1 2 3\nb 4 nan 6\n".utf8), "nan.txt")
        let e = archiveError { _ = try Interchange.import(format: .word2vecText, from: text) }
        #expect(e?.path == text && e!.message.contains("line 3") && e!.message.contains("\"b\"") && e!.message.contains("nan"),
                "\(String(describing: e))")
        let (kept, _, _) = try Interchange.import(format: .word2vecText, from: text, allowNonFinite: true)
        #expect(kept.vectors[1, 1].isNaN)
        let twice = try write(Data("2 2\na 1 2\na 3 4\n".utf8), "dup.txt")
        let d = archiveError { _ = try Interchange.import(format: .word2vecText, from: twice) }
        #expect(d?.path == twice && d!.message.contains("appears twice"), "\(String(describing: d))")
    }

    @Test("a folder or a missing path where an archive is expected says so")
    func folders() throws {
        let dir = try temporaryFolder()
        #expect(archiveError { _ = try WarmArchive.read(path: dir) }?.message.contains("is a folder") == true)
        let store = ModelStore(root: dir + "/store")
        let e = archiveError { _ = try store.resolve("nothing-here.warm") }
        #expect(e?.message.contains("no such file, and no archive named") == true, "\(String(describing: e))")
    }

    @Test("the growing buffer hands over exactly what arrived, and refuses a shape it does not fill")
    func growingBuffer() throws {
        let values = (0..<100_000).map { Float($0) * 0.5 }
        let buffer = GrowingTensorBuffer()
        values.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {  // odd-sized chunks, as a stream delivers them
                let end = min(offset + 4099, bytes.count)
                buffer.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                offset = end
            }
        }
        #expect(buffer.takeTensor(shape: [1000, 99]) == nil)
        let tensor = try #require(buffer.takeTensor(shape: [1000, 100]))
        #expect(tensor.scalars == values)
        #expect(Tensor.elementCount(ofShape: [1 << 32, 1 << 32]) == nil && Tensor.elementCount(ofShape: [3, -1]) == nil)
        #expect(Tensor.byteCount(ofShape: [1 << 31, 1 << 31], elementSize: 4) == nil && Tensor.byteCount(ofShape: [2, 3], elementSize: 4) == 24)
    }
}
