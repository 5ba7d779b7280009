import Archive
import Autograd
import FileIO
import Foundation
import Testing

/// The committed corpus of hostile inputs (Corpus/), plus archives made by
/// the test, each run through the real `warmstart` binary as a user would:
/// every one must end with an exit status from 1 to 127 (never a trap or a
/// signal), one line on standard error that names the file, and nothing
/// half-written where the command would have written.
@Suite("The CLI on hostile inputs: one clear line, an exit status, nothing left behind")
struct HostileCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    /// A case: arguments (with `@` standing for the corpus folder and `%`
    /// for a fresh output folder), the file the message must name, and
    /// words the message must hold.
    struct Case: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var names: String
        var says: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["import", "@/overflow-npy", "--format", "npy", "--out", "%/out.warm"], names: "vectors.npy", says: "larger than any file"),
        Case(arguments: ["import", "@/overflow-header.vec", "--format", "word2vec-text", "--out", "%/out.warm"], names: "overflow-header.vec", says: "line 1"),
        Case(arguments: ["import", "@/huge-header.vec", "--format", "word2vec-text", "--out", "%/out.warm"], names: "huge-header.vec", says: "more than the file"),
        Case(arguments: ["import", "@/binary-huge-header.bin", "--format", "word2vec-binary", "--out", "%/out.warm"], names: "binary-huge-header.bin", says: "more than the file"),
        Case(arguments: ["import", "@/nan-value.vec", "--format", "word2vec-text", "--out", "%/out.warm"], names: "nan-value.vec", says: "line 3, key \"b\""),
        Case(arguments: ["import", "@/duplicate-keys.vec", "--format", "word2vec-text", "--out", "%/out.warm"], names: "duplicate-keys.vec", says: "appears twice"),
        Case(arguments: ["import", "@/header-length-max.safetensors", "--format", "safetensors", "--out", "%/out.warm"], names: "header-length-max.safetensors", says: "header length"),
        Case(arguments: ["import", "@/overlapping.safetensors", "--format", "safetensors", "--out", "%/out.warm"], names: "overlapping.safetensors", says: "overlap"),
        Case(arguments: ["datasets", "info", "%/nan-rating.inter"], names: "nan-rating.inter:3", says: "not a finite number"),
        Case(arguments: ["pretrain", "mf", "--data", "%/nan-rating.inter", "--out", "%/mf.warm"], names: "nan-rating.inter:3", says: "column 'rating'"),
        Case(arguments: ["pretrain", "item2vec", "--data", "%/one-line.inter", "--out", "%/i2v.warm"], names: "one-line.inter", says: "too little data"),
        Case(arguments: ["pretrain", "item2vec", "--data", "@", "--out", "%/i2v.warm"], names: "Corpus", says: "is a folder"),
        Case(arguments: ["pretrain", "item2vec", "--data", "@/plain.tsv", "--columns", "user,item", "--delimiter", "", "--out", "%/i2v.warm"], names: "--delimiter", says: "one character"),
        Case(arguments: ["classify", "train", "--task", "text", "--data", "@/four-lines.tsv", "--out", "%/c.warm"], names: "four-lines.tsv", says: "too little data"),
        Case(arguments: ["classify", "train", "--task", "items", "--data", "@/lone-colon-bags.tsv", "--out", "%/c.warm"], names: "lone-colon-bags.tsv:2", says: "no item key"),
        Case(arguments: ["classify", "train", "--task", "items", "--data", "@/nan-weight-bags.tsv", "--out", "%/c.warm"], names: "nan-weight-bags.tsv:1", says: "not a finite number"),
        Case(arguments: ["similar", "%/missing.warm", "a"], names: "missing.warm", says: "no such file, and no archive named"),
        Case(arguments: ["similar", "%/overflow.warm", "a"], names: "overflow.warm", says: "larger than any file"),
        Case(arguments: ["store", "add", "%/overflow.warm", "--name", "x", "--store", "%/store"], names: "overflow.warm", says: "larger than any file"),
        Case(arguments: ["similar", "%/zero-width.warm", "a"], names: "zero-width.warm", says: "width 0"),
        Case(arguments: ["store", "add", "%/zero-width.warm", "--name", "x", "--store", "%/store"], names: "zero-width.warm", says: "width 0"),
        Case(arguments: ["store", "add", "%/edited.warm", "--name", "x", "--store", "%/store"], names: "edited.warm", says: "manifest was changed"),
        Case(arguments: ["export", "%/edited.warm", "--format", "npy", "--out", "%/exported"], names: "edited.warm", says: "manifest was changed"),
        Case(arguments: ["similar", "%/bad-field.warm", "a"], names: "bad-field.warm", says: "manifest.json: field 'seed' should be a whole number"),
    ]

    @Test("each hostile input ends in one clear line", arguments: cases)
    func hostile(_ c: Case) throws {
        let out = try makeInputs()
        let arguments = c.arguments.map { $0.replacingOccurrences(of: "@", with: Self.corpus).replacingOccurrences(of: "%", with: out) }
        let before = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        let (status, stderr) = try runWarmstart(arguments)
        let lines = stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect((1...127).contains(status), "exit status \(status): \(stderr)")
        #expect(lines.count == 1, "one line expected on standard error: \(stderr)")
        let message = String(lines.last ?? "")
        #expect(message.lowercased().hasPrefix("error:") && message.contains(c.names) && message.contains(c.says), "\(message)")
        let after = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(after == before, "files left behind: \(Set(after).subtracting(before).sorted())")
        if FileManager.default.fileExists(atPath: out + "/store") {
            #expect(try FileManager.default.subpathsOfDirectory(atPath: out + "/store").allSatisfy { $0 == ".lock" || $0 == "index.json" })
        }
    }

    @Test("store verify exits 1 on a stray temporary or an unlisted archive, and store gc cleans them")
    func storeLeftovers() throws {
        let out = try makeInputs()
        #expect(try runWarmstart(["import", Self.corpus + "/../Corpus/duplicate-keys.vec", "--format", "word2vec-text", "--out", out + "/x.warm"]).status == 1)
        try Data("2 2\na 1 2\nb 3 4\n".utf8).write(to: URL(fileURLWithPath: out + "/ok.vec"))
        #expect(try runWarmstart(["import", out + "/ok.vec", "--format", "word2vec-text", "--out", out + "/ok.warm"]).status == 0)
        #expect(try runWarmstart(["store", "add", out + "/ok.warm", "--name", "ok", "--store", out + "/store"]).status == 0)
        #expect(try runWarmstart(["store", "verify", "--store", out + "/store"]).status == 0)
        try Data("half".utf8).write(to: URL(fileURLWithPath: out + "/store/ok/.v2.warm.tmp-999999999-0A1B2C3D"))
        try FileManager.default.copyItem(atPath: out + "/ok.warm", toPath: out + "/store/ok/v7.warm")
        #expect(try runWarmstart(["store", "verify", "--store", out + "/store"]).status == 1)
        #expect(try runWarmstart(["store", "gc", "--store", out + "/store"]).status == 0)
        #expect(try runWarmstart(["store", "verify", "--store", out + "/store"]).status == 0)
    }

    /// A fresh folder holding the cases made here rather than committed:
    /// interaction logs (a rating of `nan` on line 3, a single event), and
    /// archives (an `.npy` entry whose shape overflows, zero-width vectors, a
    /// manifest edited by one character, a manifest field of the wrong type).
    private func makeInputs() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let header = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        try (header + "u1\ti1\t4\t1\nu1\ti2\tnan\t2\nu1\ti3\t3\t3\n").write(toFile: dir + "/nan-rating.inter", atomically: true, encoding: .utf8)
        try (header + "u1\ti1\t4\t1\n").write(toFile: dir + "/one-line.inter", atomically: true, encoding: .utf8)
        let vocab = Data("# key\tcount\trole\na\t1\t\nb\t2\t\n".utf8)
        var huge = NpyHeader.encode(shape: [1 << 32, 1 << 32])
        try writeEmbeddings(dir + "/overflow.warm", vocab: vocab, vectors: huge, shape: [1 << 32, 1 << 32])
        huge = NpyHeader.encode(shape: [2, 0])
        try writeEmbeddings(dir + "/zero-width.warm", vocab: vocab, vectors: huge, shape: [2, 0])
        try writeEmbeddings(dir + "/bad-field.warm", vocab: vocab, vectors: NpyHeader.encode(shape: [2, 0]), shape: [2, 0]) { $0["seed"] = "seven" }
        let keyed = try KeyedEmbeddings(keys: ["a", "b"], vectors: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let manifest = ArchiveManifest(kind: "embeddings", method: "test", seed: 1, threads: 1, toolVersion: "test")
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: keyed.keys),
                                              tensors: ["vectors": keyed.vectors]), to: dir + "/good.tar", compression: .none)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/good.tar"))
        let seed = try #require(bytes.range(of: Data("\"seed\" : 1".utf8)))
        bytes.replaceSubrange(seed, with: Data("\"seed\" : 2".utf8))
        try bytes.write(to: URL(fileURLWithPath: dir + "/edited.warm"))
        try FileManager.default.removeItem(atPath: dir + "/good.tar")
        return dir
    }

    /// A plain tar embeddings archive (format 1, no manifest digest) with the
    /// given entries, their sizes and digests listed as a writer would.
    private func writeEmbeddings(_ path: String, vocab: Data, vectors: Data, shape: [Int],
                                 adjust: (inout [String: Any]) -> Void = { _ in }) throws {
        func digest(_ d: Data) -> String { var s = SHA256Stream(); s.update(d); return s.hexDigest() }
        var manifest: [String: Any] = [
            "format": "warmstart-archive", "formatVersion": 1, "kind": "embeddings", "method": "crafted", "hyperparameters": [String: Any](),
            "seed": 0, "threads": 1, "dtype": "float32", "byteOrder": "little", "toolVersion": "test", "created": "now",
            "tensors": ["vectors": shape],
            "entries": [["name": "vocab.tsv", "size": vocab.count, "sha256": digest(vocab)],
                        ["name": "vectors.npy", "size": vectors.count, "sha256": digest(vectors)]],
        ]
        adjust(&manifest)
        let writer = try ArchiveWriter(path: path, compression: .none)
        try writer.addFile(name: "manifest.json", data: try JSONSerialization.data(withJSONObject: manifest))
        try writer.addFile(name: "vocab.tsv", data: vocab)
        try writer.addFile(name: "vectors.npy", data: vectors)
        try writer.close()
    }
}

/// Runs the `warmstart` binary built beside the tests; returns its exit
/// status (a signal counts as 128 + its number) and standard error;
/// standard output goes to the file `stdout` when given; `environment`
/// adds to this process's variables.
func runWarmstart(_ arguments: [String], stdout: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var binary = folder.appendingPathComponent("warmstart").path
    // Test runners start from the build folder or from inside a test bundle.
    if !FileManager.default.fileExists(atPath: binary) { binary = folder.deletingLastPathComponent().appendingPathComponent("warmstart").path }
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        Issue.record("the warmstart binary is not built beside the tests (\(binary)); run `make test`")
        return (-1, "")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let errors = Pipe()
    process.standardError = errors
    if let stdout {
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: stdout)
    } else {
        process.standardOutput = FileHandle.nullDevice
    }
    try process.run()
    let data = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    return (status, String(decoding: data, as: UTF8.self))
}
