import Autograd
import FileIO
import Foundation

extension WarmArchive {
    /// Reads an archive, streaming: each entry is checked against the
    /// manifest (name, kind, size, SHA-256) as it arrives, tensors are read
    /// straight into their storage, and nothing is kept twice.
    public static func read(path: String, allowNonFinite: Bool = false, limits: ArchiveReadLimits = .standard) throws -> ArchiveContents {
        let reader = try open(path)
        let (manifest, firstAfterManifest) = try readCheckedManifest(reader, path: path)
        var expected = Dictionary(manifest.entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        guard expected.count == manifest.entries.count else {
            throw ArchiveError(path: path, entry: ArchiveContents.manifestEntry, "the manifest lists an entry twice")
        }
        try limits.check(manifest, path: path)
        var contents = ArchiveContents(manifest: manifest, tensors: [:])
        var pending = firstAfterManifest
        while let header = try pending ?? next(reader, path: path) {
            pending = nil
            try checkSafe(header, path: path)
            guard let record = expected.removeValue(forKey: header.path) else {
                throw ArchiveError(path: path, entry: header.path,
                    manifest.entries.contains { $0.name == header.path } ? "the entry appears twice" : "the entry is not listed in the manifest")
            }
            guard header.size == record.size else {
                throw ArchiveError(path: path, entry: header.path,
                    "the entry is \(header.size) bytes but the manifest says \(record.size) (\(header.size > record.size ? "larger" : "smaller"))")
            }
            var digest = SHA256Stream()
            if header.path.hasSuffix(".npy") {
                let name = String(header.path.dropLast(4))
                guard let shape = manifest.tensors[name] else {
                    throw ArchiveError(path: path, entry: header.path, "the manifest gives no shape for tensor '\(name)'")
                }
                let (tensor, note) = try readTensor(reader, path: path, entry: header.path, size: record.size, shape: shape, digest: &digest)
                if let note { contents.notes.append("\(header.path): \(note)") }
                contents.tensors[name] = tensor
            } else {
                var data = Data()
                try readChunks(reader, path: path, entry: header.path, limit: record.size) { chunk in
                    digest.update(chunk); data.append(contentsOf: chunk)
                }
                try assign(data, entry: header.path, to: &contents, path: path)
            }
            let actual = digest.hexDigest()
            guard actual == record.sha256 else {
                throw ArchiveError(path: path, entry: header.path,
                    "SHA-256 is \(actual), the manifest says \(record.sha256): the archive is corrupt")
            }
        }
        if let missing = expected.keys.sorted().first {
            throw ArchiveError(path: path, entry: missing, "the manifest lists this entry but the archive does not hold it (truncated or incomplete)")
        }
        try validate(contents, path: path, allowNonFinite: allowNonFinite)
        return contents
    }

    /// Reads only the manifest (the first entry, checked against its
    /// digest, the second): cheap, for listings.
    public static func readManifest(path: String) throws -> ArchiveManifest {
        try readCheckedManifest(try open(path), path: path).manifest
    }

    /// Reads the whole archive and throws at the first problem; returns the manifest.
    @discardableResult
    public static func verify(path: String, allowNonFinite: Bool = false, limits: ArchiveReadLimits = .standard) throws -> ArchiveManifest {
        try read(path: path, allowNonFinite: allowNonFinite, limits: limits).manifest
    }

    private static func open(_ path: String) throws -> ArchiveReader {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw ArchiveError(path: path, "no such file") }
        guard !isFolder.boolValue else { throw ArchiveError(path: path, "is a folder, not an archive file") }
        do { return try ArchiveReader(path: path) } catch let e as FileIOError {
            throw ArchiveError(path: path, "not a Warmstart archive (libarchive: \(e.message))")
        }
    }

    private static func next(_ reader: ArchiveReader, path: String) throws -> ArchiveEntryHeader? {
        do { return try reader.nextEntry() } catch let e as FileIOError {
            throw ArchiveError(path: path, "not a Warmstart archive, or a damaged one: \(e.message)")
        }
    }

    private static func readChunks(_ reader: ArchiveReader, path: String, entry: String, limit: Int64,
                                   _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        do { try reader.readData(limit: limit, body) } catch let e as FileIOError {
            throw ArchiveError(path: path, entry: entry, "damaged or truncated: \(e.message)")
        }
    }

    /// Reads the manifest and, when the next entry is its digest
    /// (`manifest.sha256`, written since format 2 and required there), checks
    /// the manifest's bytes against it. Returns the entry after the manifest
    /// when that is not the digest, so the caller reads it next.
    private static func readCheckedManifest(_ reader: ArchiveReader, path: String) throws -> (manifest: ArchiveManifest, next: ArchiveEntryHeader?) {
        let (manifest, bytes) = try readManifest(reader, path: path)
        let second = try next(reader, path: path)
        guard let second, second.path == ArchiveContents.manifestDigestEntry else {
            guard manifest.formatVersion < 2 else {
                throw ArchiveError(path: path, entry: ArchiveContents.manifestDigestEntry,
                    "missing: a format \(manifest.formatVersion) archive carries its manifest's SHA-256 as the second entry")
            }
            return (manifest, second)
        }
        try checkSafe(second, path: path)
        guard second.size <= 128 else { throw ArchiveError(path: path, entry: second.path, "larger than a SHA-256 digest") }
        var stored = Data()
        try readChunks(reader, path: path, entry: second.path, limit: second.size) { stored.append(contentsOf: $0) }
        var digest = SHA256Stream()
        digest.update(bytes)
        let actual = digest.hexDigest()
        let expected = String(decoding: stored, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard actual == expected else {
            throw ArchiveError(path: path, entry: ArchiveContents.manifestEntry,
                "SHA-256 is \(actual), \(ArchiveContents.manifestDigestEntry) says \(expected.prefix(64)): the manifest was changed or damaged")
        }
        return (manifest, nil)
    }

    private static func readManifest(_ reader: ArchiveReader, path: String) throws -> (ArchiveManifest, Data) {
        guard let first = try next(reader, path: path) else {
            throw ArchiveError(path: path, "the archive is empty (no manifest.json)")
        }
        try checkSafe(first, path: path)
        guard first.path == ArchiveContents.manifestEntry else {
            throw ArchiveError(path: path, entry: first.path, "the first entry must be manifest.json; this is not a Warmstart archive")
        }
        guard first.size <= 16 << 20 else { throw ArchiveError(path: path, entry: first.path, "manifest larger than 16 MiB") }
        var data = Data()
        try readChunks(reader, path: path, entry: first.path, limit: first.size) { data.append(contentsOf: $0) }
        struct Probe: Decodable { var format: String?; var formatVersion: Int? }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else {
            throw ArchiveError(path: path, entry: first.path, "manifest.json is not valid JSON")
        }
        guard probe.format == ArchiveManifest.formatName else {
            throw ArchiveError(path: path, entry: first.path, "format is '\(probe.format ?? "missing")', not \(ArchiveManifest.formatName)")
        }
        guard let version = probe.formatVersion, version <= ArchiveManifest.currentVersion, version >= 1 else {
            throw ArchiveError(path: path, entry: first.path,
                "format version \(probe.formatVersion.map(String.init) ?? "missing") is not one this tool reads (1…\(ArchiveManifest.currentVersion)); update warmstart")
        }
        do { return (try JSONDecoder().decode(ArchiveManifest.self, from: data), data) } catch let error as DecodingError {
            throw ArchiveError(path: path, entry: first.path, "manifest.json: \(plainDescription(of: error))")
        }
    }

    /// Refuses links, non-files, absolute names and names with `..`.
    static func checkSafe(_ header: ArchiveEntryHeader, path: String) throws {
        let name = header.path
        if name.hasPrefix("/") { throw ArchiveError(path: path, entry: name, "absolute entry names are refused") }
        if name.split(separator: "/").contains("..") { throw ArchiveError(path: path, entry: name, "entry names with '..' are refused") }
        if header.hardLinkTarget != nil { throw ArchiveError(path: path, entry: name, "hard links are refused") }
        switch header.kind {
        case .file: break
        case .symbolicLink: throw ArchiveError(path: path, entry: name, "symbolic links are refused")
        case .directory, .other: throw ArchiveError(path: path, entry: name, "only regular files are allowed in an archive")
        }
    }

    private static func assign(_ data: Data, entry: String, to contents: inout ArchiveContents, path: String) throws {
        let where_ = "\(path) [\(entry)]"
        switch entry {
        case ArchiveContents.vocabularyEntry: contents.vocabulary = try ArchiveVocabulary.decode(data, name: where_)
        case ArchiveContents.configEntry, ArchiveContents.metricsEntry:
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                throw ArchiveError(path: path, entry: entry, "not valid JSON")
            }
            if entry == ArchiveContents.configEntry { contents.config = value } else { contents.metrics = value }
        case ArchiveContents.cardEntry: contents.modelCard = String(decoding: data, as: UTF8.self)
        default: throw ArchiveError(path: path, entry: entry, "unknown entry")
        }
    }

    /// Reads a `.npy` entry: parses its header from the first bytes, checks
    /// it against the manifest's shape and the entry size, then streams the
    /// data into the tensor's storage (converting only non-native data).
    private static func readTensor(_ reader: ArchiveReader, path: String, entry: String, size: Int64, shape: [Int],
                                   digest: inout SHA256Stream) throws -> (Tensor, String?) {
        var headerBytes = Data()
        var header: NpyHeader?
        let collected = GrowingTensorBuffer()  // grows with the data that arrives, whatever the header declares
        var raw = Data()  // only for non-native data
        try readChunks(reader, path: path, entry: entry, limit: size) { chunk in
            digest.update(chunk)
            var rest = chunk
            while header == nil, rest.count > 0 {
                let target = headerBytes.count < 12 ? 12 : NpyHeader.requiredLength(headerBytes)
                let take = min(target - headerBytes.count, rest.count)
                headerBytes.append(contentsOf: rest.prefix(take))
                rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                guard headerBytes.count >= 12, headerBytes.count >= NpyHeader.requiredLength(headerBytes) else { continue }
                let parsed = try NpyHeader.parse(headerBytes, name: "\(path) [\(entry)]")
                guard parsed.shape == shape else {
                    throw ArchiveError(path: path, entry: entry, "the .npy header says shape \(parsed.shape), the manifest \(shape)")
                }
                guard Int64(parsed.dataOffset + parsed.dataSize) == size else {
                    throw ArchiveError(path: path, entry: entry,
                        "the .npy header promises \(parsed.dataSize) bytes of data for shape \(parsed.shape) (\(parsed.elementType.rawValue)) but the entry holds \(size - Int64(parsed.dataOffset))")
                }
                header = parsed
            }
            guard rest.count > 0 else { return }
            if header!.isNative { collected.append(rest) } else { raw.append(contentsOf: rest) }
        }
        guard let header else { throw ArchiveError(path: path, entry: entry, "the .npy header is cut short") }
        if header.isNative {
            guard let tensor = collected.takeTensor(shape: shape) else {
                throw ArchiveError(path: path, entry: entry, "holds \(collected.byteCount) bytes of data, not the \(header.dataSize) its header promises")
            }
            return (tensor, nil)
        }
        let values = raw.withUnsafeBytes { header.toNativeFloat32($0) }
        return (Tensor(shape: shape, scalars: values), header.conversionNote)
    }
}
