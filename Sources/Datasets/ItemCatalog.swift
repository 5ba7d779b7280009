/// Titles and categories (genres) of items, by item key.
public struct ItemCatalog: Sendable {
    /// Title by item key.
    public var titles: [String: String] = [:]
    /// Categories by item key (multi-label).
    public var categories: [String: [String]] = [:]

    /// An empty catalogue.
    public init() {}

    /// The 19 genre flags of MovieLens 100K's `u.item`, in file order.
    public static let movieLensGenres = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
                                         "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
                                         "Romance", "Sci-Fi", "Thriller", "War", "Western"]

    /// Reads a RecBole `.item` file: `item_id`, `movie_title`, and `class`
    /// (space-separated genres) columns.
    public static func readRecBole(path: String) throws -> ItemCatalog {
        var catalog = ItemCatalog()
        try DelimitedTable(path: path, layout: .recBole).forEachRow(columns: ["item_id", "movie_title", "class"]) { _, f in
            let key = String(f[0])
            catalog.titles[key] = String(f[1])
            catalog.categories[key] = f[2].split(separator: " ").map(String.init)
        }
        return catalog
    }

    /// Reads MovieLens 100K's `u.item` (ISO-8859-1, `|`-separated, 19 genre flags).
    public static func readMovieLensUItem(path: String) throws -> ItemCatalog {
        var catalog = ItemCatalog()
        let names = ["movie_id", "title", "release", "video", "url"] + movieLensGenres
        let layout = TableLayout(delimiter: "|", columnNames: names)
        try DelimitedTable(path: path, layout: layout, encoding: .latin1).forEachRow(columns: names) { line, f in
            let key = String(f[0])
            catalog.titles[key] = String(f[1])
            catalog.categories[key] = try zip(movieLensGenres, f[5...]).compactMap { genre, flag in
                guard flag == "0" || flag == "1" else {
                    throw DatasetError.malformedLine(file: path, line: line, message: "genre flag '\(genre)' should be 0 or 1, found '\(flag)'")
                }
                return flag == "1" ? genre : nil
            }
        }
        return catalog
    }

    /// Reads MovieLens `movies.csv` (`movieId,title,genres` with `|`-separated genres).
    public static func readMovieLensCSV(path: String) throws -> ItemCatalog {
        var catalog = ItemCatalog()
        try DelimitedTable(path: path, layout: .movieLensCSV).forEachRow(columns: ["movieId", "title", "genres"]) { _, f in
            let key = String(f[0])
            catalog.titles[key] = String(f[1])
            catalog.categories[key] = f[2] == "(no genres listed)" ? [] : f[2].split(separator: "|").map(String.init)
        }
        return catalog
    }
}
