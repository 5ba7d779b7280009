import Archive
import Foundation
import Testing

@Suite("The committed reference archive")
struct ReferenceArchiveTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../models/reference/kjv-words-16d.warm").standardized.path

    @Test("models/reference/kjv-words-16d.warm verifies and knows its words")
    func reference() throws {
        let contents = try WarmArchive.read(path: Self.path)
        #expect(contents.manifest.method == "word2vec" && contents.manifest.seed == 1 && contents.manifest.threads == 1)
        #expect(contents.vocabulary?.count == 5278 && contents.vectors?.shape == [5278, 16] && contents.context?.shape == [5278, 16])
        let e = try KeyedEmbeddings(contents)
        #expect(e.nearest(to: "god", k: 3)!.map(\.key).contains("lord"))
    }

    @Test("gensim loads the word2vec exports (gensim from .venv; required in CI)", .enabled(if: pythonReady(["gensim"])))
    func gensimLoads() throws {
        try requirePython(["gensim"])
        let dir = try temporaryFolder()
        let e = try KeyedEmbeddings(try WarmArchive.read(path: Self.path))
        try Interchange.export(e, format: .word2vecBinary, to: dir + "/v.bin")
        try Interchange.export(e, format: .word2vecText, to: dir + "/v.txt")
        for (file, binary) in [("v.bin", "True"), ("v.txt", "False")] {
            let out = python("""
                from gensim.models import KeyedVectors
                kv = KeyedVectors.load_word2vec_format('\(dir)/\(file)', binary=\(binary))
                print(len(kv), kv.vector_size, kv.most_similar('god', topn=1)[0][0])
                """)
            #expect(out == "5278 16 \(e.nearest(to: "god", k: 1)![0].key)", "\(file): \(String(describing: out))")
        }
    }
}
