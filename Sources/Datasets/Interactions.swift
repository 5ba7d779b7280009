/// Which columns of a delimited file hold what.
public struct InteractionColumns: Sendable {
    /// The user column.
    public var user: String
    /// The item column.
    public var item: String
    /// The rating column, if any.
    public var rating: String?
    /// The timestamp column (a number: seconds), if any.
    public var timestamp: String?
    /// A weight column (counts, dwell time …), if any.
    public var weight: String?
    /// Columns that give the events' order when one column does not (an
    /// order number, then a position in the basket): numbers compared in
    /// turn; their rank becomes the timestamp. Not with `timestamp`.
    public var order: [String] = []

    /// A mapping of column names.
    public init(user: String, item: String, rating: String? = nil, timestamp: String? = nil, weight: String? = nil) {
        self.user = user
        self.item = item
        self.rating = rating
        self.timestamp = timestamp
        self.weight = weight
    }

    /// RecBole's and MovieLens 100K's names.
    public static let recBole = InteractionColumns(user: "user_id", item: "item_id", rating: "rating", timestamp: "timestamp")
    /// MovieLens `ratings.csv` names.
    public static let movieLensCSV = InteractionColumns(user: "userId", item: "movieId", rating: "rating", timestamp: "timestamp")
}

/// User–item events in columns, with string keys mapped to dense ids.
public struct Interactions: Sendable {
    /// Dense user id per event.
    public var users: [Int32]
    /// Dense item id per event.
    public var items: [Int32]
    /// Rating per event, when the data has ratings.
    public var ratings: [Float]?
    /// Timestamp (seconds) per event, when the data has times.
    public var timestamps: [Double]?
    /// Weight per event, when the data has weights.
    public var weights: [Float]?
    /// User keys.
    public var userVocabulary: Vocabulary
    /// Item keys.
    public var itemVocabulary: Vocabulary
    /// Where the events came from (a path), for messages and fingerprints.
    public var source: String

    /// Events from columns already in dense ids.
    public init(users: [Int32], items: [Int32], ratings: [Float]?, timestamps: [Double]?, weights: [Float]?,
                userVocabulary: Vocabulary, itemVocabulary: Vocabulary, source: String) {
        self.users = users
        self.items = items
        self.ratings = ratings
        self.timestamps = timestamps
        self.weights = weights
        self.userVocabulary = userVocabulary
        self.itemVocabulary = itemVocabulary
        self.source = source
    }

    /// Number of events.
    public var count: Int { users.count }
    /// Number of users.
    public var userCount: Int { userVocabulary.count }
    /// Number of items.
    public var itemCount: Int { itemVocabulary.count }

    /// Reads a delimited interactions file, streaming. Throws for malformed
    /// lines (file, line, column), missing columns, and files with no events.
    public static func read(path: String, layout: TableLayout, columns: InteractionColumns,
                            encoding: LineReader.Encoding = .utf8) throws -> Interactions {
        guard columns.order.isEmpty || columns.timestamp == nil else {
            throw DatasetError.invalidRequest("\(path): give either a timestamp column or order columns (\(columns.order.joined(separator: ","))), not both")
        }
        var wanted = [columns.user, columns.item]
        for optional in [columns.rating, columns.timestamp, columns.weight] { if let c = optional { wanted.append(c) } }
        wanted += columns.order
        var orderKeys: [[Double]] = []
        var result = Interactions(users: [], items: [], ratings: columns.rating == nil ? nil : [],
                                  timestamps: columns.timestamp == nil && columns.order.isEmpty ? nil : [], weights: columns.weight == nil ? nil : [],
                                  userVocabulary: Vocabulary(), itemVocabulary: Vocabulary(), source: path)
        try DelimitedTable(path: path, layout: layout, encoding: encoding).forEachRow(columns: wanted) { line, fields in
            guard !fields[0].isEmpty, !fields[1].isEmpty else {
                throw DatasetError.malformedLine(file: path, line: line, message: "empty user or item key")
            }
            var k = 2
            if let name = columns.rating {
                result.ratings!.append(try parseNumber(fields[k], as: Float.self, file: path, line: line, column: name)); k += 1
            }
            if let name = columns.timestamp {
                result.timestamps!.append(try parseNumber(fields[k], as: Double.self, file: path, line: line, column: name)); k += 1
            }
            if let name = columns.weight {
                result.weights!.append(try parseNumber(fields[k], as: Float.self, file: path, line: line, column: name)); k += 1
            }
            if !columns.order.isEmpty {
                orderKeys.append(try columns.order.enumerated().map { j, name in
                    try parseNumber(fields[k + j], as: Double.self, file: path, line: line, column: name)
                })
            }
            result.users.append(result.userVocabulary.add(fields[0]))
            result.items.append(result.itemVocabulary.add(fields[1]))
        }
        if result.count == 0 { throw DatasetError.empty(file: path, message: "no interactions after the header") }
        if !columns.order.isEmpty {
            // The rank of each event's order key (ties keep file order) stands in for its timestamp.
            let ranked = orderKeys.indices.sorted { a, b in orderKeys[a] != orderKeys[b] ? orderKeys[a].lexicographicallyPrecedes(orderKeys[b]) : a < b }
            result.timestamps = [Double](repeating: 0, count: result.count)
            for (rank, event) in ranked.enumerated() { result.timestamps![event] = Double(rank) }
        }
        return result
    }

    /// The events at `indices`, with the same vocabularies.
    public func subset(_ indices: [Int]) -> Interactions {
        Interactions(users: indices.map { users[$0] }, items: indices.map { items[$0] },
                     ratings: ratings.map { r in indices.map { r[$0] } },
                     timestamps: timestamps.map { t in indices.map { t[$0] } },
                     weights: weights.map { w in indices.map { w[$0] } },
                     userVocabulary: userVocabulary, itemVocabulary: itemVocabulary, source: source)
    }
}
