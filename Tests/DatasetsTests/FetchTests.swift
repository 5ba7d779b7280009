import Datasets
import FileIO
import Foundation
import Testing

@Suite("Fetching into the cache")
struct FetchTests {
    private func manifest(command: [String], sha256: String) -> DatasetManifest {
        let json: [String: Any] = [
            "format": "warmstart-datasets", "version": 1,
            "datasets": [[
                "name": "verses", "description": "test", "terms": "test",
                "source": ["kind": "debian-command", "package": "coreutils", "command": command, "keep": "verses"],
                "files": [["path": "verses/v.txt", "sha256": sha256]],
            ]],
        ]
        let data = try! JSONSerialization.data(withJSONObject: json)
        return try! JSONDecoder().decode(DatasetManifest.self, from: data)
    }

    private func temporaryCache() throws -> DataCache {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-fetch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return DataCache(root: dir)
    }

    @Test("a checked fetch lands in the cache; a second fetch is a no-op")
    func fetchAndNoOp() throws {
        let cache = try temporaryCache()
        let command = ["printf", "Book 1\\n\\n  1 In the beginning.\\n  2 And then.\\n"]
        var expected = SHA256Stream()
        expected.update(Data("In the beginning.\nAnd then.\n".utf8))
        var messages: [String] = []
        let fetcher = DatasetFetcher(manifest: manifest(command: command, sha256: expected.hexDigest()), cache: cache) { messages.append($0) }
        try fetcher.fetch()
        #expect(try String(contentsOfFile: cache.path("verses/v.txt"), encoding: .utf8) == "In the beginning.\nAnd then.\n")
        try fetcher.fetch()
        #expect(messages.last!.contains("up to date"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.root) == ["verses"])
    }

    @Test("a wrong checksum or a failing command leaves the cache as it was and says what to do")
    func failuresLeaveCache() throws {
        let cache = try temporaryCache()
        try FileManager.default.createDirectory(atPath: cache.path("verses"), withIntermediateDirectories: true)
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: cache.path("verses/v.txt")))
        let wrong = DatasetFetcher(manifest: manifest(command: ["printf", "  1 new\\n"], sha256: String(repeating: "0", count: 64)),
                                   cache: cache) { _ in }
        guard case .checksumMismatch(let file, _, _)? = datasetError({ try wrong.fetch() }) else {
            Issue.record("expected a checksum mismatch"); return
        }
        #expect(file == "verses/v.txt")
        let failing = DatasetFetcher(manifest: manifest(command: ["false"], sha256: ""), cache: cache) { _ in }
        guard case .fetchFailed(_, _, let remedy)? = datasetError({ try failing.fetch() }) else {
            Issue.record("expected a failed fetch"); return
        }
        #expect(remedy.contains("apt-get install"))
        #expect(try String(contentsOfFile: cache.path("verses/v.txt"), encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.root) == ["verses"])
    }

    @Test("the library's built-in manifest names the three public datasets with their checksums")
    func builtInManifest() throws {
        let manifest = try DatasetManifest.standard()
        #expect(manifest.datasets.map(\.name) == PublicDatasets.names)
        #expect(manifest.datasets.allSatisfy { $0.files.allSatisfy { $0.sha256.count == 64 } })
    }
}
