import Archive
import Autograd
import FileIO
import Foundation
import Testing

@Suite("Archives refuse bad input with a clear error")
struct BadInputTests {
    let vocab = Data("# key\tcount\trole\na\t1\t\nb\t2\t\n".utf8)
    let vectors = npyBytes(shape: [2, 2], values: [1, 2, 3, 4])

    private func embeddingsArchive(at path: String, vocab: Data? = nil, vectors: Data? = nil, shape: [Int] = [2, 2],
                                   adjust: (inout [String: Any]) -> Void = { _ in }) throws {
        let v = vocab ?? self.vocab, x = vectors ?? self.vectors
        try craftArchive(at: path, listed: [("vocab.tsv", v), ("vectors.npy", x)], tensors: ["vectors": shape],
                         entries: [.file("vocab.tsv", v), .file("vectors.npy", x)]) { m in
            m["kind"] = "embeddings"; adjust(&m)
        }
    }

    @Test("a crafted archive that is right reads (the baseline for the cases below)")
    func baseline() throws {
        let path = try temporaryFolder() + "/ok.warm"
        try embeddingsArchive(at: path)
        let c = try WarmArchive.read(path: path)
        #expect(c.vocabulary?.keys == ["a", "b"] && c.vectors?.scalars == [1, 2, 3, 4])
    }

    @Test("truncated archive")
    func truncated() throws {
        let dir = try temporaryFolder()
        try WarmArchive.write(sampleContents(rows: 2000, dimension: 16), to: dir + "/a.warm", compression: .zstd)
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.warm"))
        try whole.prefix(whole.count * 2 / 3).write(to: URL(fileURLWithPath: dir + "/cut.warm"))
        let e = archiveError { _ = try WarmArchive.read(path: dir + "/cut.warm") }
        #expect(e?.path == dir + "/cut.warm" && (e!.message.contains("truncated") || e!.message.contains("damaged")), "\(String(describing: e))")
    }

    @Test("a flipped byte is a checksum mismatch naming the entry")
    func flippedByte() throws {
        let dir = try temporaryFolder()
        try WarmArchive.write(sampleContents(), to: dir + "/a.warm", compression: .none)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.warm"))
        let npy = bytes.range(of: Data("NUMPY".utf8))!
        bytes[npy.lowerBound + 200] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: dir + "/flipped.warm"))
        let e = archiveError { _ = try WarmArchive.read(path: dir + "/flipped.warm") }
        #expect(e?.entry == "vectors.npy" && e!.message.contains("SHA-256") && e!.message.contains("corrupt"))
    }

    @Test("missing entry")
    func missingEntry() throws {
        let path = try temporaryFolder() + "/m.warm"
        try craftArchive(at: path, listed: [("vocab.tsv", vocab), ("vectors.npy", vectors)], tensors: ["vectors": [2, 2]],
                         entries: [.file("vocab.tsv", vocab)])
        let e = archiveError { _ = try WarmArchive.read(path: path) }
        #expect(e?.entry == "vectors.npy" && e!.message.contains("does not hold it"))
    }

    @Test("unknown format version, wrong format name, not first")
    func formatVersion() throws {
        let dir = try temporaryFolder()
        try embeddingsArchive(at: dir + "/v.warm") { $0["formatVersion"] = 99 }
        let e = archiveError { _ = try WarmArchive.read(path: dir + "/v.warm") }
        #expect(e!.message.contains("format version 99") && e!.message.contains("update warmstart"))
        try embeddingsArchive(at: dir + "/f.warm") { $0["format"] = "something-else" }
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/f.warm") }!.message.contains("something-else"))
        let w = try ArchiveWriter(path: dir + "/order.warm", compression: .none)
        try w.addFile(name: "vocab.tsv", data: vocab); try w.close()
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/order.warm") }!.message.contains("first entry must be manifest.json"))
    }

    @Test("absolute names, '..', symbolic and hard links", arguments: ["absolute", "dotdot", "symlink", "hardlink"])
    func unsafeEntries(kind: String) throws {
        let path = try temporaryFolder() + "/u.warm"
        let entry: CraftedEntry
        switch kind {
        case "absolute": entry = .file("/etc/passwd", vocab)
        case "dotdot": entry = .file("sub/../../escape", vocab)
        case "symlink": entry = .symbolicLink("vocab.tsv", "/etc/passwd")
        default: entry = .hardLink("vocab.tsv", "/etc/passwd")
        }
        try craftArchive(at: path, listed: [("vocab.tsv", vocab)], entries: [entry])
        let e = archiveError { _ = try WarmArchive.read(path: path) }
        let words = ["absolute": "absolute", "dotdot": "'..'", "symlink": "symbolic links", "hardlink": "hard links"]
        #expect(e?.message.contains(words[kind]!) == true, "\(String(describing: e))")
    }

    @Test("an entry larger than the manifest says")
    func largerThanManifest() throws {
        let path = try temporaryFolder() + "/l.warm"
        try embeddingsArchive(at: path) { m in
            var entries = m["entries"] as! [[String: Any]]
            entries[0]["size"] = 10
            m["entries"] = entries
        }
        let e = archiveError { _ = try WarmArchive.read(path: path) }
        #expect(e?.entry == "vocab.tsv" && e!.message.contains("larger"))
    }

    @Test(".npy headers that lie about shape or dtype")
    func lyingHeaders() throws {
        let dir = try temporaryFolder()
        try embeddingsArchive(at: dir + "/shape.warm", vectors: npyBytes(shape: [2, 2], values: [1, 2, 3, 4]), shape: [2, 3])
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/shape.warm") }!.message.contains("the manifest [2, 3]"))
        var lying = npyBytes(shape: [2, 2], values: [1, 2, 3, 4])
        let descr = lying.range(of: Data("<f4".utf8))!
        lying.replaceSubrange(descr, with: Data("<f8".utf8))
        try embeddingsArchive(at: dir + "/dtype.warm", vectors: lying)
        let e = archiveError { _ = try WarmArchive.read(path: dir + "/dtype.warm") }
        #expect(e!.message.contains("promises 32 bytes") && e!.message.contains("holds 16"))
    }

    @Test("big-endian and Fortran-order arrays inside an archive are converted, with a note")
    func convertedInside() throws {
        var big = NpyHeader.encode(shape: [2, 2])
        big.replaceSubrange(big.range(of: Data("<f4".utf8))!, with: Data(">f4".utf8))
        for v: Float in [1, 2, 3, 4] { withUnsafeBytes(of: v.bitPattern.bigEndian) { big.append(contentsOf: $0) } }
        let dir = try temporaryFolder()
        try embeddingsArchive(at: dir + "/big.warm", vectors: big)
        let c = try WarmArchive.read(path: dir + "/big.warm")
        #expect(c.vectors?.scalars == [1, 2, 3, 4] && c.notes.first?.contains("big-endian to little-endian") == true)
        var fortran = NpyHeader.encode(shape: [2, 2])
        fortran.replaceSubrange(fortran.range(of: Data("False".utf8))!, with: Data("True ".utf8))
        [Float(1), 3, 2, 4].withUnsafeBufferPointer { fortran.append($0) }
        try embeddingsArchive(at: dir + "/fortran.warm", vectors: fortran)
        let f = try WarmArchive.read(path: dir + "/fortran.warm")
        #expect(f.vectors?.scalars == [1, 2, 3, 4] && f.notes.first?.contains("Fortran") == true)
    }

    @Test("NaN or infinite values are refused unless allowed, on write and on read")
    func nonFinite() throws {
        let dir = try temporaryFolder()
        var contents = sampleContents()
        contents.tensors["vectors"]![flat: 9] = .nan
        let e = archiveError { try WarmArchive.write(contents, to: dir + "/nan.warm") }
        #expect(e!.message.contains("row 2") && e!.message.contains("--allow-nonfinite"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/nan.warm"))
        try WarmArchive.write(contents, to: dir + "/nan.warm", allowNonFinite: true)
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/nan.warm") } != nil)
        #expect(try WarmArchive.read(path: dir + "/nan.warm", allowNonFinite: true).vectors![flat: 9].isNaN)
        try embeddingsArchive(at: dir + "/inf.warm", vectors: npyBytes(shape: [2, 2], values: [1, .infinity, 3, 4]))
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/inf.warm") }!.message.contains("inf"))
    }

    @Test("duplicate keys, and a vocabulary whose length disagrees with the matrix")
    func vocabularyProblems() throws {
        let dir = try temporaryFolder()
        try embeddingsArchive(at: dir + "/dup.warm", vocab: Data("a\t1\t\na\t2\t\n".utf8))
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/dup.warm") }!.message.contains("repeats row 0"))
        try embeddingsArchive(at: dir + "/len.warm", vocab: Data("a\t1\t\nb\t1\t\nc\t1\t\n".utf8))
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/len.warm") }!.message.contains("3 keys but the matrix has 2 rows"))
        var contents = sampleContents()
        contents.vocabulary!.keys[3] = contents.vocabulary!.keys[4]
        #expect(archiveError { try WarmArchive.write(contents, to: dir + "/w.warm") }!.message.contains("repeats the key"))
    }

    @Test("an empty archive, a non-archive file, a missing file")
    func notArchives() throws {
        let dir = try temporaryFolder()
        let w = try ArchiveWriter(path: dir + "/empty.warm", compression: .none)
        try w.close()
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/empty.warm") }!.message.contains("empty"))
        try Data("just some text, not an archive at all\n".utf8).write(to: URL(fileURLWithPath: dir + "/text.warm"))
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/text.warm") }!.message.contains("not a Warmstart archive"))
        #expect(archiveError { _ = try WarmArchive.read(path: dir + "/nothing.warm") }!.message.contains("no such file"))
    }
}
