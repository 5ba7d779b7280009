import Archive
import Autograd
import FileIO
import Foundation
import Testing

@Suite("Archives round-trip")
struct RoundTripTests {
    @Test("write then read gives identical bytes and keys, in every compression",
          arguments: ArchiveWriter.Compression.allCases)
    func roundTrip(compression: ArchiveWriter.Compression) throws {
        let path = try temporaryFolder() + "/a.warm"
        let original = sampleContents()
        let written = try WarmArchive.write(original, to: path, compression: compression)
        let read = try WarmArchive.read(path: path)
        #expect(read.manifest == written)
        #expect(read.vocabulary == original.vocabulary)
        #expect(read.vectors!.scalars == original.vectors!.scalars && read.context!.scalars == original.context!.scalars)
        #expect(read.metrics == original.metrics && read.modelCard == original.modelCard)
        #expect(written.rows == 6 && written.dimensions == 4 && written.tensors["vectors"] == [6, 4])
        #expect(written.entries.map(\.name) == ["vocab.tsv", "vectors.npy", "context.npy", "metrics.json", "README.md"])
        #expect(read.notes.isEmpty)
    }

    @Test("a model archive keeps several named tensors and its config")
    func modelArchive() throws {
        let path = try temporaryFolder() + "/m.warm"
        var rng = SeededGenerator(seed: 2)
        let tensors: [String: Tensor] = ["mlp.0.weight": .normal(shape: [3, 2], using: &rng), "mlp.0.bias": .normal(shape: [3], using: &rng),
                                         "scalar": Tensor(shape: [], scalars: [2])]
        let contents = ArchiveContents(manifest: ArchiveManifest(kind: "model", method: "classifier", seed: 3, threads: 1, toolVersion: "t"),
                                       tensors: tensors, config: ["layers": [2, 3], "activation": "relu"])
        try WarmArchive.write(contents, to: path, compression: .zstd)
        let read = try WarmArchive.read(path: path)
        #expect(read.config == contents.config)
        for (name, t) in tensors { #expect(read.tensors[name]?.shape == t.shape && read.tensors[name]?.scalars == t.scalars) }
    }

    @Test("vectors.npy, safetensors and word2vec files are read by numpy and the safetensors package as written",
          .enabled(if: pythonReady(["numpy", "safetensors"])))
    func numpyReadsExports() throws {
        try requirePython(["numpy", "safetensors"])
        let dir = try temporaryFolder()
        let contents = sampleContents(rows: 5, dimension: 3)
        var keys = contents.vocabulary!.keys
        keys[2] = "plain"
        let e = try KeyedEmbeddings(keys: keys, vectors: contents.vectors!)
        for format in [InterchangeFormat.npy, .safetensors, .word2vecText, .word2vecBinary] {
            try Interchange.export(e, format: format, to: dir + "/out." + format.rawValue)
        }
        let expected = e.vectors.scalars.map { Double($0) }.reduce(0, +)
        let npy = python("import numpy; a = numpy.load('\(dir)/out.npy/vectors.npy'); print(a.dtype, a.shape, repr(float(a.sum())))")
        #expect(npy?.hasPrefix("float32 (5, 3)") == true)
        #expect(abs(Double(npy!.split(separator: " ").last!)! - expected) < 1e-4)
        let safetensors = python("""
            import json, struct, numpy
            b = open('\(dir)/out.safetensors', 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8+n])
            s, e = h['vectors']['data_offsets']; a = numpy.frombuffer(b[8+n+s:8+n+e], dtype='<f4').reshape(h['vectors']['shape'])
            print(a.shape, json.loads(h['__metadata__']['keys'])[2], repr(float(a.sum())))
            """)
        #expect(safetensors?.hasPrefix("(5, 3) plain") == true)
        // The safetensors package itself (no PyTorch): tensors and metadata as written.
        let package = python("""
            import json
            from safetensors import safe_open
            with safe_open('\(dir)/out.safetensors', framework='numpy') as f:
                a = f.get_tensor('vectors'); keys = json.loads(f.metadata()['keys'])
            print(a.dtype, a.shape, keys[2], repr(float(a.astype('float64').sum())))
            """)
        #expect(package?.hasPrefix("float32 (5, 3) plain") == true, "\(String(describing: package))")
        #expect(abs((Double(package?.split(separator: " ").last ?? "") ?? .infinity) - expected) < 1e-4)
        let binary = python("""
            import numpy
            f = open('\(dir)/out.word2vec-binary', 'rb'); rows, dim = map(int, f.readline().split()); total = 0.0; keys = []
            for _ in range(rows):
                k = b''
                while True:
                    c = f.read(1)
                    if c == b' ': break
                    if c != b'\\n': k += c
                keys.append(k.decode()); total += float(numpy.frombuffer(f.read(4 * dim), dtype='<f4').sum())
            print(rows, dim, keys[2], repr(total))
            """)
        #expect(binary?.hasPrefix("5 3 plain") == true)
        #expect(abs(Double(binary!.split(separator: " ").last!)! - expected) < 1e-4)
        let text = python("""
            import numpy
            lines = open('\(dir)/out.word2vec-text').read().splitlines(); rows, dim = map(int, lines[0].split())
            a = numpy.array([[float(x) for x in l.split()[1:]] for l in lines[1:]], dtype=numpy.float32); print(a.shape, repr(float(a.sum())))
            """)
        #expect(text?.hasPrefix("(5, 3)") == true)
    }

    @Test("every interchange format round-trips keys and values", arguments: [InterchangeFormat.word2vecText, .word2vecBinary, .npy, .safetensors])
    func interchange(format: InterchangeFormat) throws {
        let dir = try temporaryFolder()
        var rng = SeededGenerator(seed: 9)
        let e = try KeyedEmbeddings(keys: ["a", "bb", "ccc", "über"], vectors: .normal(shape: [4, 7], using: &rng))
        try Interchange.export(e, counts: [4, 3, 2, 1], format: format, to: dir + "/x")
        let (back, counts, _) = try Interchange.import(format: format, from: dir + "/x")
        #expect(back.keys == e.keys && back.vectors.scalars == e.vectors.scalars)
        if format == .npy { #expect(counts == [4, 3, 2, 1]) }
    }

    @Test("projector export writes vectors.tsv and metadata.tsv with one row per key")
    func projector() throws {
        let dir = try temporaryFolder()
        let e = try KeyedEmbeddings(keys: ["x", "y"], vectors: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4.5]))
        try Interchange.export(e, counts: [7, 8], format: .projector, to: dir)
        #expect(try String(contentsOfFile: dir + "/vectors.tsv", encoding: .utf8) == "1.0\t2.0\n3.0\t4.5\n")
        #expect(try String(contentsOfFile: dir + "/metadata.tsv", encoding: .utf8) == "key\tcount\nx\t7\ny\t8\n")
    }

    @Test("nearest neighbours by cosine, mean vector, normalisation")
    func keyedEmbeddings() throws {
        let e = try KeyedEmbeddings(keys: ["east", "north", "north-east", "west"],
                                    vectors: Tensor(shape: [4, 2], scalars: [1, 0, 0, 2, 3, 3, -1, 0]))
        let n = try #require(e.nearest(to: "east", k: 2))
        #expect(n.map(\.key) == ["north-east", "north"])
        #expect(abs(n[0].similarity - 0.70710678) < 1e-6 && abs(n[1].similarity) < 1e-6)
        #expect(e.nearest(to: "nowhere", k: 3) == nil)
        #expect(e.meanVector() == [0.75, 1.25])
        #expect(abs(e.normalized().vectors[2, 0] - 0.70710678) < 1e-6)
        #expect(throws: ArchiveError.self) { _ = try KeyedEmbeddings(keys: ["a", "a"], vectors: Tensor(zeros: [2, 2])) }
    }
}
