import Foundation

/// The keys of an embedding matrix's rows, with counts and reserved rows;
/// stored as `vocab.tsv` (`key<TAB>count<TAB>role`, with `\t`, `\n` and `\\`
/// escaped in keys).
public struct ArchiveVocabulary: Sendable, Equatable {
    /// What a reserved row is for.
    public enum Role: String, Sendable, Codable { case padding, unknown }

    /// Keys by row.
    public var keys: [String]
    /// Counts by row.
    public var counts: [Int]
    /// Reserved rows and their roles.
    public var reserved: [Int: Role]

    /// A vocabulary; counts default to 0.
    public init(keys: [String], counts: [Int]? = nil, reserved: [Int: Role] = [:]) {
        self.keys = keys
        self.counts = counts ?? [Int](repeating: 0, count: keys.count)
        self.reserved = reserved
    }

    /// Number of rows.
    public var count: Int { keys.count }

    /// The row of the padding role, if any.
    public var paddingRow: Int? { reserved.first { $0.value == .padding }?.key }
    /// The row of the unknown role, if any.
    public var unknownRow: Int? { reserved.first { $0.value == .unknown }?.key }

    static let headerLine = "# key\tcount\trole"

    /// The `vocab.tsv` text.
    public func encoded() -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(keys.count * 16 + 32)
        bytes.append(contentsOf: (ArchiveVocabulary.headerLine + "\n").utf8)
        for (i, key) in keys.enumerated() {
            bytes.append(contentsOf: Self.escape(key).utf8)
            bytes.append(9)
            bytes.append(contentsOf: String(counts[i]).utf8)
            bytes.append(9)
            if let role = reserved[i] { bytes.append(contentsOf: role.rawValue.utf8) }
            bytes.append(10)
        }
        return Data(bytes)
    }

    /// Parses `vocab.tsv`; `name` is used in errors. Refuses duplicate keys.
    public static func decode(_ data: Data, name: String) throws -> ArchiveVocabulary {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> ArchiveVocabulary in
            let b = bytes.bindMemory(to: UInt8.self)
            let estimate = max(16, b.count / 12)
            var result = ArchiveVocabulary(keys: [])
            result.keys.reserveCapacity(estimate)
            result.counts.reserveCapacity(estimate)
            var seen = [String: Int](minimumCapacity: estimate)
            var lineStart = 0, lineNumber = 0
            while lineStart < b.count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < b.count && b[lineEnd] != 10 { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                if lineEnd == lineStart || (lineNumber == 1 && b[lineStart] == UInt8(ascii: "#")) { continue }
                var firstTab = -1, secondTab = -1, extraTab = false
                for k in lineStart..<lineEnd where b[k] == 9 {
                    if firstTab < 0 { firstTab = k } else if secondTab < 0 { secondTab = k } else { extraTab = true }
                }
                func text(_ from: Int, _ to: Int) throws -> String {
                    guard let s = String(validating: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self) else {
                        throw ArchiveError(path: name, "line \(lineNumber): not UTF-8")
                    }
                    return s
                }
                var count = 0, digits = 0
                if secondTab > firstTab + 1 && firstTab >= 0 {
                    for k in (firstTab + 1)..<secondTab {
                        guard b[k] >= 48 && b[k] <= 57, digits < 18 else { digits = -1; break }
                        count = count * 10 + Int(b[k] - 48); digits += 1
                    }
                }
                guard firstTab >= 0, secondTab >= 0, !extraTab, digits > 0 else {
                    throw ArchiveError(path: name, "line \(lineNumber): expected key<TAB>count<TAB>role, found \(try text(lineStart, min(lineEnd, lineStart + 60)).debugDescription)")
                }
                let tabs = (firstTab, secondTab)
                let key = unescape(try text(lineStart, tabs.0))
                if let earlier = seen.updateValue(result.keys.count, forKey: key) {
                    throw ArchiveError(path: name, "line \(lineNumber): key \(key.debugDescription) repeats row \(earlier); keys must be unique")
                }
                if tabs.1 + 1 < lineEnd {
                    let roleText = try text(tabs.1 + 1, lineEnd)
                    guard let role = Role(rawValue: roleText) else {
                        throw ArchiveError(path: name, "line \(lineNumber): role '\(roleText)' is not padding or unknown")
                    }
                    result.reserved[result.keys.count] = role
                }
                result.keys.append(key)
                result.counts.append(count)
            }
            return result
        }
    }

    /// The first key that appears twice, if any.
    public var firstDuplicate: String? {
        var seen = Set<String>(minimumCapacity: keys.count)
        for k in keys where !seen.insert(k).inserted { return k }
        return nil
    }

    static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 92 }) else { return key }
        return key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    static func unescape<S: StringProtocol>(_ field: S) -> String {
        guard field.utf8.contains(92) else { return String(field) }
        var out = ""
        var escaping = false
        for c in field {
            if escaping {
                switch c { case "t": out.append("\t"); case "n": out.append("\n"); case "r": out.append("\r"); default: out.append(c) }
                escaping = false
            } else if c == "\\" { escaping = true } else { out.append(c) }
        }
        return out
    }
}
