import Foundation

/// The layout of a delimited file: separator, quoting, and where the column
/// names come from (a header line, or given for header-less files).
public struct TableLayout: Sendable {
    /// Field separator.
    public var delimiter: Character
    /// Whether fields may be double-quoted (CSV).
    public var quoted: Bool
    /// Column names for a file without a header; nil when the first line is the header.
    public var columnNames: [String]?
    /// Whether header names carry RecBole's `:type` suffix (`user_id:token`), which is dropped.
    public var typedHeader: Bool

    /// A layout.
    public init(delimiter: Character, quoted: Bool = false, columnNames: [String]? = nil, typedHeader: Bool = false) {
        self.delimiter = delimiter
        self.quoted = quoted
        self.columnNames = columnNames
        self.typedHeader = typedHeader
    }

    /// RecBole atomic files: tab-separated, typed header.
    public static let recBole = TableLayout(delimiter: "\t", typedHeader: true)
    /// MovieLens 100K `u.data`: tab-separated, no header.
    public static let movieLensUData = TableLayout(delimiter: "\t", columnNames: ["user_id", "item_id", "rating", "timestamp"])
    /// MovieLens `ratings.csv` (20M, 25M, latest): comma-separated, header `userId,movieId,rating,timestamp`.
    public static let movieLensCSV = TableLayout(delimiter: ",", quoted: true)
}

/// Streams the rows of a delimited file as named fields.
public struct DelimitedTable {
    /// The file.
    public let path: String
    /// Its layout.
    public let layout: TableLayout
    /// Its encoding.
    public let encoding: LineReader.Encoding

    /// A table over `path`.
    public init(path: String, layout: TableLayout, encoding: LineReader.Encoding = .utf8) {
        self.path = path
        self.layout = layout
        self.encoding = encoding
    }

    /// Calls `body(lineNumber, fields)` for each data row, where `fields[k]`
    /// is the value of `columns[k]`. Throws naming the file and line for a
    /// row with too few fields or an open quote, and naming the columns the
    /// file has when one asked for is missing. Blank lines are skipped.
    public func forEachRow(columns: [String], _ body: (Int, [Substring]) throws -> Void) throws {
        let splitter = FieldSplitter(delimiter: layout.delimiter, quoted: layout.quoted)
        var positions: [Int]?
        var width = 0
        func resolve(_ names: [String]) throws {
            let missing = columns.filter { !names.contains($0) }
            guard missing.isEmpty else { throw DatasetError.missingColumns(file: path, wanted: missing, found: names) }
            positions = columns.map { names.firstIndex(of: $0)! }
            width = names.count
        }
        if let names = layout.columnNames { try resolve(names) }
        try LineReader(path: path, encoding: encoding).forEachLine { number, line in
            if line.isEmpty { return }
            guard let fields = splitter.split(line) else {
                throw DatasetError.malformedLine(file: path, line: number, message: "a quoted field is not closed")
            }
            guard let positions else {
                try resolve(fields.enumerated().map { position, field in
                    // A byte-order mark (U+FEFF, as spreadsheet programs write) is not part of the first name.
                    let header = position == 0 && field.hasPrefix("\u{FEFF}") ? field.dropFirst() : field
                    let name = layout.typedHeader ? header.split(separator: ":").first.map(String.init) ?? "" : String(header)
                    return name.trimmingCharacters(in: .whitespaces)
                })
                return
            }
            guard fields.count >= width else {
                throw DatasetError.malformedLine(file: path, line: number,
                    message: "expected \(width) fields separated by \(layout.delimiter.debugDescription), found \(fields.count)")
            }
            try body(number, positions.map { fields[$0] })
        }
        if positions == nil { throw DatasetError.empty(file: path, message: "the file is empty (no header line)") }
    }
}

/// Parses a finite number field, or throws naming the file, line and column
/// (`nan` and `inf` are refused: one of them would poison a whole training run).
func parseNumber<T: LosslessStringConvertible & BinaryFloatingPoint>(_ field: Substring, as: T.Type, file: String, line: Int, column: String) throws -> T {
    guard let value = T(String(field.trimmingCharacters(in: .whitespaces))) else {
        throw DatasetError.malformedLine(file: file, line: line,
            message: "column '\(column)' should be a number, found '\(field.prefix(40))'")
    }
    guard value.isFinite else {
        throw DatasetError.malformedLine(file: file, line: line, message: "column '\(column)' is '\(field.prefix(40))', not a finite number")
    }
    return value
}
