/// Reads a user's interactions file, the one way every command does: with
/// the columns the user names (`user,item[,rating[,timestamp]]`, from the
/// header), or by its name: a RecBole `.inter` file, MovieLens `u.data`, or a
/// MovieLens `ratings.csv`-style file (`userId,movieId,rating,timestamp`).
public enum InteractionFiles {
    /// True when `path` is read without columns: `.inter`, `u.data` or `.csv`.
    public static func isKnownByName(_ path: String) -> Bool {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".inter") || file == "u.data" || file.hasSuffix(".csv")
    }

    /// Reads `path`. `columns` (at least user and item) name the header's
    /// columns; `delimiter` is one character (`\t` for a tab; default tab,
    /// or comma for `.csv`, whose fields may then be quoted). `order` names
    /// columns whose values, compared in turn, order the events (instead
    /// of a timestamp column).
    public static func read(path: String, columns: [String]? = nil, delimiter: String? = nil, order: [String] = []) throws -> Interactions {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        if let columns {
            guard columns.count >= 2, columns.count <= 4, !columns.contains(where: \.isEmpty) else {
                throw DatasetError.invalidRequest("\(path): --columns takes user,item[,rating[,timestamp]], not \(columns.joined(separator: ","))")
            }
            let given = delimiter.map { $0 == "\\t" ? "\t" : $0 }
            guard given.map({ $0.count == 1 }) ?? true else {
                throw DatasetError.invalidRequest("\(path): --delimiter takes one character (a tab as '\\t'), not \(delimiter!.debugDescription)")
            }
            let separator = Character(given ?? (file.hasSuffix(".csv") ? "," : "\t"))
            var spec = InteractionColumns(user: columns[0], item: columns[1], rating: columns.count > 2 ? columns[2] : nil,
                                          timestamp: columns.count > 3 ? columns[3] : nil)
            spec.order = order
            return try Interactions.read(path: path, layout: TableLayout(delimiter: separator, quoted: separator == ","), columns: spec)
        }
        guard order.isEmpty else { throw DatasetError.invalidRequest("\(path): order columns need --columns user,item[,rating] too") }
        if file.hasSuffix(".inter") { return try Interactions.read(path: path, layout: .recBole, columns: .recBole) }
        if file == "u.data" { return try Interactions.read(path: path, layout: .movieLensUData, columns: .recBole) }
        if file.hasSuffix(".csv") { return try Interactions.read(path: path, layout: .movieLensCSV, columns: .movieLensCSV) }
        throw DatasetError.invalidRequest("\(path): give its columns with --columns user,item[,rating[,timestamp]]")
    }
}
