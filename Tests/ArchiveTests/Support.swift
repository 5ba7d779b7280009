import Archive
import Autograd
import FileIO
import Foundation
import Testing

/// A fresh temporary folder.
func temporaryFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-archive-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Small embeddings with a padding row, an unknown row and awkward keys.
func sampleContents(rows: Int = 6, dimension: Int = 4, seed: UInt64 = 1) -> ArchiveContents {
    var rng = SeededGenerator(seed: seed)
    let keys = ["<pad>", "<unk>"] + (2..<rows).map { $0 == 2 ? "tab\there" : "key\($0)" }
    var manifest = ArchiveManifest(kind: "embeddings", method: "test", hyperparameters: ["dim": .number(Double(dimension)), "window": 5],
                                   seed: seed, threads: 1, toolVersion: "test")
    manifest.data = .init(name: "fixture", fingerprint: "abc", split: "train")
    return ArchiveContents(
        manifest: manifest,
        vocabulary: ArchiveVocabulary(keys: keys, counts: (0..<rows).map { $0 * 10 }, reserved: [0: .padding, 1: .unknown]),
        tensors: ["vectors": .normal(shape: [rows, dimension], using: &rng), "context": .normal(shape: [rows, dimension], using: &rng)],
        metrics: ["hr@10": 0.5], modelCard: "# Test archive\n")
}

/// The SHA-256 of `data`.
func sha256(_ data: Data) -> String {
    var d = SHA256Stream()
    d.update(data)
    return d.hexDigest()
}

/// An entry of a hand-made archive.
enum CraftedEntry {
    case file(String, Data)
    case symbolicLink(String, String)
    case hardLink(String, String)
}

/// Writes a tar whose manifest lists `listed` (name, data) entries with
/// correct digests unless `adjust` changes the manifest, then the `entries`
/// exactly as given (which may differ from what the manifest says).
func craftArchive(at path: String, listed: [(String, Data)], tensors: [String: [Int]] = [:], entries: [CraftedEntry],
                  adjust: (inout [String: Any]) -> Void = { _ in }) throws {
    var manifest: [String: Any] = [
        "format": "warmstart-archive", "formatVersion": 1, "kind": "model", "method": "crafted", "hyperparameters": [String: Any](),
        "seed": 0, "threads": 1, "dtype": "float32", "byteOrder": "little", "toolVersion": "test", "created": "now",
        "tensors": tensors,
        "entries": listed.map { ["name": $0.0, "size": $0.1.count, "sha256": sha256($0.1)] as [String: Any] },
    ]
    adjust(&manifest)
    let writer = try ArchiveWriter(path: path, compression: .none)
    try writer.addFile(name: "manifest.json", data: try JSONSerialization.data(withJSONObject: manifest))
    for entry in entries {
        switch entry {
        case .file(let name, let data): try writer.addFile(name: name, data: data)
        case .symbolicLink(let name, let target): try writer.addSymbolicLink(name: name, target: target)
        case .hardLink(let name, let target): try writer.addHardLink(name: name, target: target)
        }
    }
    try writer.close()
}

/// The npy bytes of a float32 C-order array.
func npyBytes(shape: [Int], values: [Float]) -> Data {
    var data = NpyHeader.encode(shape: shape)
    values.withUnsafeBufferPointer { data.append($0) }
    return data
}

/// The ArchiveError thrown by `body`.
func archiveError(_ body: () throws -> Void) -> ArchiveError? {
    do { try body() } catch let e as ArchiveError { return e } catch { Issue.record("unexpected error \(error)") }
    return nil
}

/// The Python that has numpy, gensim and safetensors: `$WARMSTART_PYTHON`,
/// else the project's `.venv` (made by `make test`), else `python3`.
let pythonExecutable: String = {
    if let given = ProcessInfo.processInfo.environment["WARMSTART_PYTHON"], !given.isEmpty { return given }
    let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".venv/bin/python3").path
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
}()

/// Runs Python with `script`; returns stdout, or nil when it fails.
func python(_ script: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [pythonExecutable, "-c", script]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
}

/// Whether a test that needs `modules` runs: when Python can import them,
/// and always in CI (`CI` set), where `make test` installs them into `.venv`
/// and a missing one must fail the test, not skip it.
func pythonReady(_ modules: [String]) -> Bool {
    ProcessInfo.processInfo.environment["CI"] != nil || python("import " + modules.joined(separator: ", ")) != nil
}

/// Fails the test unless Python can import `modules`.
func requirePython(_ modules: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
    try #require(python("import " + modules.joined(separator: ", ")) != nil,
                 "\(pythonExecutable) cannot import \(modules.joined(separator: ", ")); `make test` installs them into .venv",
                 sourceLocation: sourceLocation)
}
