/// Splits one line into fields at a delimiter. With `quoted`, fields may be
/// wrapped in double quotes (CSV): a quoted field may hold the delimiter, and
/// `""` inside it is one quote. Quoted fields do not span lines.
public struct FieldSplitter: Sendable {
    /// The field separator.
    public let delimiter: Character
    /// Whether double quotes group a field.
    public let quoted: Bool

    /// A splitter on `delimiter`.
    public init(delimiter: Character, quoted: Bool = false) {
        self.delimiter = delimiter
        self.quoted = quoted
    }

    /// The fields of `line`, or nil when a quote is left open.
    public func split(_ line: Substring) -> [Substring]? {
        guard quoted, line.contains("\"") else {
            return line.split(separator: delimiter, omittingEmptySubsequences: false)
        }
        var fields: [Substring] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if inQuotes {
                if c == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\""); index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == delimiter {
                fields.append(Substring(current)); current = ""
            } else {
                current.append(c)
            }
            index = line.index(after: index)
        }
        if inQuotes { return nil }
        fields.append(Substring(current))
        return fields
    }
}
