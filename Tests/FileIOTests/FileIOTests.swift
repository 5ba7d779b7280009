import FileIO
import Foundation
import Testing

/// A fresh temporary folder.
func temporaryFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-fileio-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("Digests, atomic writes, archive reading")
struct FileIOTests {
    @Test("SHA-256 of a known string, streamed from a file")
    func digest() throws {
        let path = try temporaryFolder() + "/abc.txt"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SHA256Stream.file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("an atomic write that fails leaves the old file and no temporary behind")
    func atomicWrite() throws {
        let dir = try temporaryFolder()
        let path = dir + "/model.bin"
        try AtomicFile.write(Data("first".utf8), to: path)
        struct Crash: Error {}
        #expect(throws: Crash.self) {
            try AtomicFile.write(to: path) { temporary in
                try Data("half".utf8).write(to: URL(fileURLWithPath: temporary))
                throw Crash()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["model.bin"])
    }

    @Test("the next write of a file removes the temporaries a killed writer left, not a live writer's")
    func staleTemporaries() throws {
        let dir = try temporaryFolder()
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let stale = dir + "/.out.warm.tmp-\(ended.processIdentifier)-0A1B2C3D"
        let live = dir + "/.out.warm.tmp-\(getpid())-0A1B2C3D"
        let other = dir + "/.other.warm.tmp-\(ended.processIdentifier)-0A1B2C3D"
        for file in [stale, live, other] { try Data("partial".utf8).write(to: URL(fileURLWithPath: file)) }
        #expect(AtomicFile.writerProcess(ofTemporary: ".out.warm.tmp-123-0A1B2C3D") == 123)
        #expect(AtomicFile.writerProcess(ofTemporary: "out.warm") == nil && AtomicFile.writerProcess(ofTemporary: ".x.tmp-abc-0A1B2C3D") == nil)
        try AtomicFile.write(Data("whole".utf8), to: dir + "/out.warm")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live) && FileManager.default.fileExists(atPath: other))
        #expect(try String(contentsOfFile: dir + "/out.warm", encoding: .utf8) == "whole")
    }

    @Test("reads a gzip tar entry by entry; a truncated one is an error naming the file")
    func readTar() throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir + "/src/a.txt"))
        try Data(repeating: 7, count: 300_000).write(to: URL(fileURLWithPath: dir + "/src/b.bin"))
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", dir + "/x.tar.gz", "-C", dir + "/src", "a.txt", "b.bin"]
        try tar.run(); tar.waitUntilExit()
        let reader = try ArchiveReader(path: dir + "/x.tar.gz")
        var names: [String] = []
        var sizes: [Int] = []
        while let entry = try reader.nextEntry() {
            names.append(entry.path)
            var n = 0
            try reader.readData { n += $0.count }
            sizes.append(n)
            #expect(Int64(n) == entry.size && entry.kind == .file)
        }
        #expect(names == ["a.txt", "b.bin"] && sizes == [5, 300_000])

        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/x.tar.gz"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.tar.gz"))
        #expect(throws: FileIOError.self) {
            let cut = try ArchiveReader(path: dir + "/cut.tar.gz")
            while try cut.nextEntry() != nil { try cut.readData { _ in } }
        }
    }
}
