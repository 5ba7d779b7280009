/// A two-way map between string keys and dense indices, with counts. Reserved
/// rows (padding, unknown) come first and are said explicitly.
public struct Vocabulary: Sendable, Equatable {
    /// Key of the padding row when reserved.
    public static let paddingKey = "<pad>"
    /// Key of the unknown row when reserved.
    public static let unknownKey = "<unk>"

    /// Keys by index.
    public private(set) var keys: [String] = []
    /// Occurrence counts by index (reserved rows count 0).
    public private(set) var counts: [Int] = []
    private var indexOfKey: [String: Int32] = [:]
    /// Index of the padding row, if reserved.
    public let paddingIndex: Int32?
    /// Index of the unknown row, if reserved.
    public let unknownIndex: Int32?

    /// An empty vocabulary with the reserved rows asked for (padding first).
    public init(reservePadding: Bool = false, reserveUnknown: Bool = false) {
        paddingIndex = reservePadding ? 0 : nil
        unknownIndex = reserveUnknown ? (reservePadding ? 1 : 0) : nil
        if reservePadding { append(Vocabulary.paddingKey) }
        if reserveUnknown { append(Vocabulary.unknownKey) }
    }

    private mutating func append(_ key: String) {
        indexOfKey[key] = Int32(keys.count)
        keys.append(key)
        counts.append(0)
    }

    /// Number of rows, reserved ones included.
    public var count: Int { keys.count }
    /// Number of reserved rows.
    public var reservedCount: Int { (paddingIndex == nil ? 0 : 1) + (unknownIndex == nil ? 0 : 1) }

    /// The index of `key`, adding it when new, and counts one occurrence.
    @discardableResult
    public mutating func add<S: StringProtocol>(_ key: S) -> Int32 {
        if let i = indexOfKey[String(key)] { counts[Int(i)] += 1; return i }
        let k = String(key)
        append(k)
        counts[counts.count - 1] = 1
        return Int32(keys.count - 1)
    }

    /// The index of `key`, or the unknown row, or nil.
    public func index<S: StringProtocol>(of key: S) -> Int32? {
        indexOfKey[String(key)] ?? unknownIndex
    }

    /// True when `key` has its own row.
    public func contains<S: StringProtocol>(_ key: S) -> Bool { indexOfKey[String(key)] != nil }

    /// The key at `index`.
    public func key(at index: Int32) -> String { keys[Int(index)] }

    /// A vocabulary of the keys seen at least `minimumCount` times, with the
    /// same reserved rows, ordered by count (descending) then key, as
    /// word2vec orders its vocabulary.
    public func pruned(minimumCount: Int) -> Vocabulary {
        var result = Vocabulary(reservePadding: paddingIndex != nil, reserveUnknown: unknownIndex != nil)
        let kept = (reservedCount..<count).filter { counts[$0] >= minimumCount }
            .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : keys[$0] < keys[$1] }
        for i in kept {
            result.append(keys[i])
            result.counts[result.count - 1] = counts[i]
        }
        return result
    }

    /// Equality of keys, counts and reserved rows.
    public static func == (a: Vocabulary, b: Vocabulary) -> Bool {
        a.keys == b.keys && a.counts == b.counts && a.paddingIndex == b.paddingIndex && a.unknownIndex == b.unknownIndex
    }
}
