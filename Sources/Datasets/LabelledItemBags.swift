/// Bags of item keys with one label each: `label<TAB>item item:weight …`
/// (a weight after a colon, 1 when absent), one bag per line, no header.
public struct LabelledItemBags: Sendable {
    /// Label id per bag.
    public var labels: [Int32]
    /// Item keys per bag.
    public var items: [[String]]
    /// A weight per item.
    public var weights: [[Float]]
    /// Label names.
    public var labelVocabulary: Vocabulary
    /// Where they came from.
    public var source: String

    /// Number of bags.
    public var count: Int { items.count }

    /// Reads a labelled item-bag file; names the line of a bad weight or a missing tab.
    public static func read(path: String) throws -> LabelledItemBags {
        var result = LabelledItemBags(labels: [], items: [], weights: [], labelVocabulary: Vocabulary(), source: path)
        try LineReader(path: path).forEachLine { number, line in
            if line.isEmpty { return }
            guard let tab = line.firstIndex(of: "\t"), tab != line.startIndex else {
                throw DatasetError.malformedLine(file: path, line: number, message: "expected 'label<TAB>item item:weight …'")
            }
            var keys: [String] = [], weights: [Float] = []
            for token in line[line.index(after: tab)...].split(separator: " ") {
                let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard !parts[0].isEmpty else {
                    throw DatasetError.malformedLine(file: path, line: number, message: "token '\(token.prefix(40))' has no item key before its ':'")
                }
                keys.append(String(parts[0]))
                if parts.count == 2 {
                    guard let w = Float(parts[1]), w.isFinite else {
                        throw DatasetError.malformedLine(file: path, line: number, message: "weight '\(parts[1].prefix(40))' of item '\(parts[0].prefix(40))' is not a finite number")
                    }
                    weights.append(w)
                } else {
                    weights.append(1)
                }
            }
            guard !keys.isEmpty else {
                throw DatasetError.malformedLine(file: path, line: number, message: "the bag after the label has no items")
            }
            result.labels.append(result.labelVocabulary.add(line[..<tab]))
            result.items.append(keys)
            result.weights.append(weights)
        }
        if result.count == 0 { throw DatasetError.empty(file: path, message: "no labelled bags") }
        return result
    }
}

extension LabelledItemBags {
    /// `parts` one after another, their labels in one vocabulary (sources joined with " + ").
    public static func concatenated(_ parts: [LabelledItemBags]) -> LabelledItemBags {
        var result = LabelledItemBags(labels: [], items: [], weights: [], labelVocabulary: Vocabulary(),
                                      source: parts.map(\.source).joined(separator: " + "))
        for part in parts {
            result.labels += part.labels.map { result.labelVocabulary.add(part.labelVocabulary.key(at: $0)) }
            result.items += part.items
            result.weights += part.weights
        }
        return result
    }
}
