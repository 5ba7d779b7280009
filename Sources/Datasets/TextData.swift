/// Texts with one label each.
public struct LabelledTexts: Sendable {
    /// Label id per text.
    public var labels: [Int32]
    /// The texts.
    public var texts: [String]
    /// Label names.
    public var labelVocabulary: Vocabulary
    /// Where they came from.
    public var source: String

    /// Number of texts.
    public var count: Int { texts.count }

    /// Reads `label<TAB>text` lines without a header (the SMS Spam
    /// Collection's form); the text is everything after the first tab.
    public static func readTabSeparated(path: String) throws -> LabelledTexts {
        var result = LabelledTexts(labels: [], texts: [], labelVocabulary: Vocabulary(), source: path)
        try LineReader(path: path).forEachLine { number, line in
            if line.isEmpty { return }
            guard let tab = line.firstIndex(of: "\t") else {
                throw DatasetError.malformedLine(file: path, line: number, message: "expected 'label<TAB>text', found no tab")
            }
            let label = line[..<tab], text = line[line.index(after: tab)...]
            guard !label.isEmpty else {
                throw DatasetError.malformedLine(file: path, line: number, message: "the label before the tab is empty")
            }
            result.labels.append(result.labelVocabulary.add(label))
            result.texts.append(String(text))
        }
        if result.count == 0 { throw DatasetError.empty(file: path, message: "no labelled lines") }
        return result
    }

    /// Reads a CSV or TSV with a header, taking the named label and text columns.
    public static func readTable(path: String, layout: TableLayout, labelColumn: String, textColumn: String) throws -> LabelledTexts {
        var result = LabelledTexts(labels: [], texts: [], labelVocabulary: Vocabulary(), source: path)
        try DelimitedTable(path: path, layout: layout).forEachRow(columns: [labelColumn, textColumn]) { number, f in
            guard !f[0].isEmpty else {
                throw DatasetError.malformedLine(file: path, line: number, message: "column '\(labelColumn)' is empty")
            }
            result.labels.append(result.labelVocabulary.add(f[0]))
            result.texts.append(String(f[1]))
        }
        if result.count == 0 { throw DatasetError.empty(file: path, message: "no labelled rows after the header") }
        return result
    }

    /// The texts at `indices`, with the same label names.
    public func subset(_ indices: [Int]) -> LabelledTexts {
        LabelledTexts(labels: indices.map { labels[$0] }, texts: indices.map { texts[$0] },
                      labelVocabulary: labelVocabulary, source: source)
    }
}

/// Plain text: one sentence (or verse, or message) per line.
public enum PlainText {
    /// The non-empty lines of `path`.
    public static func readLines(path: String) throws -> [String] {
        var lines: [String] = []
        try LineReader(path: path).forEachLine { _, line in if !line.isEmpty { lines.append(String(line)) } }
        if lines.isEmpty { throw DatasetError.empty(file: path, message: "no non-empty lines") }
        return lines
    }
}

extension LabelledTexts {
    /// `parts` one after another, their labels in one vocabulary (sources joined with " + ").
    public static func concatenated(_ parts: [LabelledTexts]) -> LabelledTexts {
        var result = LabelledTexts(labels: [], texts: [], labelVocabulary: Vocabulary(), source: parts.map(\.source).joined(separator: " + "))
        for part in parts {
            result.labels += part.labels.map { result.labelVocabulary.add(part.labelVocabulary.key(at: $0)) }
            result.texts += part.texts
        }
        return result
    }
}
