import Archive
import Foundation
import Testing

@Suite("The model store")
struct StoreTests {
    @Test("add keeps versions, resolves names, removes one version, refuses overwrites and bad names")
    func lifecycle() throws {
        let dir = try temporaryFolder()
        let archive = dir + "/a.warm"
        try WarmArchive.write(sampleContents(), to: archive)
        let store = ModelStore(root: dir + "/store")
        #expect(try store.list().isEmpty)
        let v1 = try store.add(archive: archive, name: "kjv-words")
        let v2 = try store.add(archive: archive, name: "kjv-words")
        #expect(v1.version == 1 && v2.version == 2 && v2.rows == 6 && v2.kind == "embeddings")
        #expect(try store.resolve("kjv-words") == v2 && store.resolve("kjv-words@1") == v1 && store.resolve("kjv-words@v1") == v1)
        #expect(archiveError { try store.add(archive: archive, name: "kjv-words", version: 1) }!.message.contains("never overwritten"))
        for bad in ["", "Upper", "-dash", "with space", "slash/name", String(repeating: "x", count: 65)] {
            #expect(archiveError { try store.add(archive: archive, name: bad) } != nil, "\(bad)")
        }
        #expect(archiveError { _ = try store.resolve("kjv-words@7") }!.message.contains("has versions 1, 2"))
        #expect(try store.locate(archive) == archive && store.locate("kjv-words@1") == store.path(of: v1) && store.locate("kjv-words") == store.path(of: v2))
        #expect(archiveError { _ = try store.locate(dir + "/missing.warm") }!.message.contains("no such file"))
        #expect(try store.embeddings("kjv-words").keys == sampleContents().vocabulary?.keys)
        #expect(archiveError { try store.remove("kjv-words") }!.message.contains("@VERSION"))
        try store.remove("kjv-words@1")
        #expect(try store.list().map(\.reference) == ["kjv-words@2"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/store/kjv-words/v1.warm"))
        #expect(try WarmArchive.read(path: store.path(of: v2)).vocabulary == sampleContents().vocabulary)
    }

    @Test("a bad archive is not added and the store stays as it was; verify finds tampering and leftovers")
    func integrity() throws {
        let dir = try temporaryFolder()
        let store = ModelStore(root: dir + "/store")
        try WarmArchive.write(sampleContents(), to: dir + "/good.warm")
        let good = try store.add(archive: dir + "/good.warm", name: "good")
        let indexBefore = try Data(contentsOf: URL(fileURLWithPath: dir + "/store/index.json"))
        try Data("not an archive".utf8).write(to: URL(fileURLWithPath: dir + "/bad.warm"))
        #expect(archiveError { try store.add(archive: dir + "/bad.warm", name: "bad") } != nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/store/index.json")) == indexBefore)
        #expect(!FileManager.default.fileExists(atPath: dir + "/store/bad"))
        #expect(try store.verify().checks.allSatisfy { $0.problem == nil })
        // an interrupted add: the copy landed, the index was never written
        try FileManager.default.createDirectory(atPath: dir + "/store/half", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/good.warm", toPath: dir + "/store/half/v1.warm")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: store.path(of: good)))
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: URL(fileURLWithPath: store.path(of: good)))
        let report = try store.verify()
        let (checks, unlisted) = (report.checks, report.unlisted)
        #expect(checks.first?.problem?.contains("differs from the index") == true)
        #expect(unlisted == ["half/v1.warm"])
    }

    @Test("what an interrupted add leaves is reported by verify (not clean) and removed by gc; a live writer's file is left alone")
    func leftovers() throws {
        let (dir, store) = try storeHoldingGood()
        #expect(try store.verify().isClean)
        let ended = Process()  // a process that has ended: its temporaries are stale
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let stale = "good/.v2.warm.tmp-\(ended.processIdentifier)-ABCDEF12"
        let live = "good/.v3.warm.tmp-\(getpid())-ABCDEF12"
        for file in [stale, live] { try Data("partial".utf8).write(to: URL(fileURLWithPath: dir + "/store/" + file)) }
        try FileManager.default.createDirectory(atPath: dir + "/store/half", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/good.warm", toPath: dir + "/store/half/v1.warm")
        let report = try store.verify()
        #expect(!report.isClean && report.temporaries == [stale] && report.unlisted == ["half/v1.warm"])
        #expect(report.checks.allSatisfy { $0.problem == nil })
        #expect(try store.collectGarbage().sorted() == [stale, "half/v1.warm"].sorted())
        #expect(try store.verify().isClean)
        #expect(FileManager.default.fileExists(atPath: dir + "/store/" + live))
        // The next add also clears stale temporaries.
        try Data("partial".utf8).write(to: URL(fileURLWithPath: dir + "/store/" + stale))
        try store.add(archive: dir + "/good.warm", name: "good")
        #expect(!FileManager.default.fileExists(atPath: dir + "/store/" + stale))
    }

    @Test("an index whose rows or method disagree with the archive fails verify")
    func indexMismatch() throws {
        let (dir, store) = try storeHoldingGood()
        let indexPath = dir + "/store/index.json"
        let text = try String(contentsOfFile: indexPath, encoding: .utf8).replacingOccurrences(of: "\"rows\" : 6", with: "\"rows\" : 60")
        try text.write(toFile: indexPath, atomically: true, encoding: .utf8)
        let report = try store.verify()
        #expect(!report.isClean && report.checks.first?.problem?.contains("the index records") == true)
    }

    /// A fresh folder with `good.warm` and a store holding it as good@1.
    private func storeHoldingGood() throws -> (dir: String, store: ModelStore) {
        let dir = try temporaryFolder()
        let store = ModelStore(root: dir + "/store")
        try WarmArchive.write(sampleContents(), to: dir + "/good.warm")
        try store.add(archive: dir + "/good.warm", name: "good")
        return (dir, store)
    }
}
