import FileIO
import Foundation

/// One archive in the store.
public struct StoreEntry: Codable, Sendable, Equatable {
    /// The archive's name.
    public var name: String
    /// Its version (1, 2, …); versions are kept, never overwritten.
    public var version: Int
    /// Path relative to the store folder.
    public var file: String
    /// SHA-256 of the archive file.
    public var sha256: String
    /// Size of the archive file in bytes.
    public var size: Int64
    /// "embeddings" or "model".
    public var kind: String
    /// How it was made.
    public var method: String
    /// Rows of the embedding matrix, if any.
    public var rows: Int?
    /// Width of the vectors, if any.
    public var dimensions: Int?
    /// When it was added (ISO 8601).
    public var added: String

    /// `name@version`.
    public var reference: String { "\(name)@\(version)" }
}

/// A folder of archives with an index (`index.json`): list, show, add,
/// remove and verify, by name and version. Changes take a lock on the
/// folder, copy archives in through a temporary file, and rewrite the index
/// last and atomically, so an interrupted add leaves the store as it was.
public struct ModelStore: Sendable {
    private struct Index: Codable {
        var format = "warmstart-store"
        var version = 1
        var entries: [StoreEntry] = []
    }

    /// The store folder.
    public let root: String

    /// A store at `root` (created on first add).
    public init(root: String) { self.root = root }

    /// `$WARMSTART_STORE`, else `models` in the current folder.
    public static func defaultRoot() -> String {
        ProcessInfo.processInfo.environment["WARMSTART_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "models"
    }

    private var indexPath: String { root + "/index.json" }

    /// Refuses names that are not 1–64 of `a-z 0-9 . _ -`, starting with a letter or digit.
    public static func validate(name: String) throws {
        let ok = (1...64).contains(name.count) && name.first.map { $0.isASCII && ($0.isLowercase || $0.isNumber) } == true
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
        guard ok else {
            throw ArchiveError(path: name, "store names use 1-64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
        }
    }

    private func loadIndex() throws -> Index {
        guard let data = FileManager.default.contents(atPath: indexPath) else { return Index() }
        guard let index = try? JSONDecoder().decode(Index.self, from: data), index.format == "warmstart-store" else {
            throw ArchiveError(path: indexPath, "not a Warmstart store index")
        }
        guard index.version == 1 else { throw ArchiveError(path: indexPath, "store index version \(index.version) is newer than this tool") }
        return index
    }

    private func save(_ index: Index) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(index), to: indexPath)
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let fd = open(root + "/.lock", O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw ArchiveError(path: root, "cannot lock the store: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw ArchiveError(path: root, "cannot lock the store") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Every entry, by name then version.
    public func list() throws -> [StoreEntry] {
        try loadIndex().entries.sorted { ($0.name, $0.version) < ($1.name, $1.version) }
    }

    /// The entry for `NAME` (its latest version) or `NAME@VERSION`.
    public func resolve(_ reference: String) throws -> StoreEntry {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        let entries = try loadIndex().entries.filter { $0.name == parts[0] }
        guard !entries.isEmpty else {
            throw ArchiveError(path: reference, "no such file, and no archive named '\(parts[0])' in the store \(root)")
        }
        guard parts.count == 2 else { return entries.max { $0.version < $1.version }! }
        let wanted = parts[1].hasPrefix("v") ? String(parts[1].dropFirst()) : parts[1]
        guard let version = Int(wanted), let entry = entries.first(where: { $0.version == version }) else {
            throw ArchiveError(path: root, "'\(parts[0])' has versions \(entries.map { String($0.version) }.sorted().joined(separator: ", ")), not \(parts[1])")
        }
        return entry
    }

    /// The archive file of `entry`.
    public func path(of entry: StoreEntry) -> String { root + "/" + entry.file }

    /// The archive file `argument` names: the path itself when a file is
    /// there, else `NAME[@VERSION]` in this store.
    public func locate(_ argument: String) throws -> String {
        FileManager.default.fileExists(atPath: argument) ? argument : path(of: try resolve(argument))
    }

    /// The embeddings of the archive `argument` names (a file or `NAME[@VERSION]`).
    public func embeddings(_ argument: String) throws -> KeyedEmbeddings {
        try KeyedEmbeddings(try WarmArchive.read(path: try locate(argument)))
    }

    /// Checks `archive` completely, copies it into the store as the next
    /// version of `name` (or `version`, which must be new), and records it.
    @discardableResult
    public func add(archive: String, name: String, version: Int? = nil) throws -> StoreEntry {
        try ModelStore.validate(name: name)
        let manifest = try WarmArchive.verify(path: archive)
        return try locked {
            for stale in strayFiles().temporaries { try? FileManager.default.removeItem(atPath: root + "/" + stale) }
            var index = try loadIndex()
            let existing = index.entries.filter { $0.name == name }.map(\.version)
            let chosen = version ?? ((existing.max() ?? 0) + 1)
            guard chosen >= 1, !existing.contains(chosen) else {
                throw ArchiveError(path: root, "\(name)@\(chosen) already exists; versions are never overwritten")
            }
            let file = "\(name)/v\(chosen).warm"
            try AtomicFile.write(to: root + "/" + file) { temporary in
                try FileManager.default.copyItem(atPath: archive, toPath: temporary)
            }
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + file)
            let entry = StoreEntry(name: name, version: chosen, file: file, sha256: try SHA256Stream.file(root + "/" + file),
                                   size: (attributes[.size] as? NSNumber)?.int64Value ?? 0, kind: manifest.kind,
                                   method: manifest.method, rows: manifest.rows, dimensions: manifest.dimensions,
                                   added: ISO8601DateFormatter().string(from: Date()))
            index.entries.append(entry)
            try save(index)
            return entry
        }
    }

    /// Removes `NAME@VERSION` (a version must be named) and its file.
    @discardableResult
    public func remove(_ reference: String) throws -> StoreEntry {
        guard reference.contains("@") else {
            throw ArchiveError(path: root, "name the version to remove: \(reference)@VERSION")
        }
        return try locked {
            let entry = try resolve(reference)
            var index = try loadIndex()
            index.entries.removeAll { $0 == entry }
            try save(index)
            try? FileManager.default.removeItem(atPath: path(of: entry))
            return entry
        }
    }

    /// True for paths of the store's own layout, `NAME/vN.warm`.
    static func isVersionFile(_ file: String) -> Bool {
        let parts = file.split(separator: "/")
        guard parts.count == 2, parts[1].hasPrefix("v"), parts[1].hasSuffix(".warm") else { return false }
        return Int(parts[1].dropFirst().dropLast(5)) != nil
    }

    /// The result of checking one stored archive.
    public struct Check: Sendable {
        /// The entry.
        public var entry: StoreEntry
        /// nil when the file matches the index and reads cleanly.
        public var problem: String?
    }

    /// What a store check found.
    public struct Report: Sendable {
        /// One check per selected entry.
        public var checks: [Check]
        /// Archive files in the folder that the index does not list (an add
        /// interrupted after the copy and before the index was written).
        public var unlisted: [String]
        /// Temporary files left by an interrupted add or index write.
        public var temporaries: [String]

        /// True when every archive checked out and nothing stray was found.
        public var isClean: Bool { checks.allSatisfy { $0.problem == nil } && unlisted.isEmpty && temporaries.isEmpty }
    }

    /// Checks every entry (or those of `reference`): the file's SHA-256
    /// against the index, then a full read of the archive. Also reports the
    /// archive files the index does not list and the temporaries left by
    /// interrupted writes.
    public func verify(_ reference: String? = nil) throws -> Report {
        let index = try loadIndex()
        let selected = try reference.map { [try resolve($0)] } ?? index.entries
        let checks = selected.map { entry -> Check in
            let file = path(of: entry)
            guard let digest = try? SHA256Stream.file(file) else { return Check(entry: entry, problem: "the file \(file) is missing") }
            guard digest == entry.sha256 else {
                return Check(entry: entry, problem: "SHA-256 \(digest) differs from the index's \(entry.sha256)")
            }
            do {
                let manifest = try WarmArchive.verify(path: file)
                guard manifest.kind == entry.kind, manifest.method == entry.method, manifest.rows == entry.rows,
                      manifest.dimensions == entry.dimensions else {
                    return Check(entry: entry, problem: "the index records \(entry.kind) \(entry.method) \(entry.rows ?? 0) x \(entry.dimensions ?? 0), the archive says \(manifest.kind) \(manifest.method) \(manifest.rows ?? 0) x \(manifest.dimensions ?? 0)")
                }
                return Check(entry: entry, problem: nil)
            } catch {
                return Check(entry: entry, problem: "\(error)")
            }
        }
        let stray = strayFiles(listed: Set(index.entries.map(\.file)))
        return Report(checks: checks, unlisted: reference == nil ? stray.unlisted : [], temporaries: stray.temporaries)
    }

    /// Removes what interrupted writes left: temporaries of processes that
    /// are no longer running, and archive files the index does not list.
    /// Returns the paths removed, relative to the store.
    @discardableResult
    public func collectGarbage() throws -> [String] {
        guard FileManager.default.fileExists(atPath: root) else { return [] }
        return try locked {
            let stray = strayFiles(listed: Set(try loadIndex().entries.map(\.file)))
            let removed = stray.temporaries + stray.unlisted
            for file in removed { try FileManager.default.removeItem(atPath: root + "/" + file) }
            return removed
        }
    }

    /// Temporary files (`.NAME.tmp-PID-…`) whose writing process has ended,
    /// and version files missing from `listed` (when given).
    private func strayFiles(listed: Set<String>? = nil) -> (temporaries: [String], unlisted: [String]) {
        var temporaries: [String] = [], unlisted: [String] = []
        guard let names = FileManager.default.enumerator(atPath: root) else { return ([], []) }
        for case let file as String in names {
            let name = (file as NSString).lastPathComponent
            if AtomicFile.writerProcess(ofTemporary: name) != nil {
                if AtomicFile.isStaleTemporary(name) { temporaries.append(file) }
            } else if let listed, Self.isVersionFile(file), !listed.contains(file) {
                unlisted.append(file)
            }
        }
        return (temporaries.sorted(), unlisted.sorted())
    }
}
