import ArgumentParser
import Datasets
import Downstream
import Foundation

/// How a delimited interactions file is read: the options every command that takes data shares.
struct DataFileOptions: ParsableArguments {
    @Option(help: "For a delimited interactions file: its columns as user,item[,rating[,timestamp]] (names from its header).")
    var columns: String?

    @Option(help: "Field delimiter of a delimited interactions file (default: tab, or comma for .csv).")
    var delimiter: String?

    @Option(help: "Columns whose numbers, compared in turn, order the events (an order number, then a position in the basket); instead of a timestamp column.")
    var order: String?

    /// The library's data source `name` read with these options.
    func source(_ name: String, cache: DataCache) -> DataSource {
        var source = DataSource(name, columns: columns.map { $0.split(separator: ",").map(String.init) }, delimiter: delimiter, cache: cache)
        source.order = order.map { $0.split(separator: ",").map(String.init) } ?? []
        return source
    }
}

/// Where training data comes from: a public dataset by name, or a file.
struct DataOptions: ParsableArguments {
    @Option(help: "ml-100k, sms-spam, kjv, or a file: .inter (RecBole), u.data, ratings.csv, any delimited file with --columns, or plain text.")
    var data: String = "ml-100k"

    @OptionGroup var file: DataFileOptions

    @Option(help: "Cache folder of the public data (default: $WARMSTART_DATA, else ~/.cache/warmstart).")
    var dataDir: String?

    var cache: DataCache { dataDir.map(DataCache.init(root:)) ?? .defaultCache() }

    /// The library's data source these options name.
    var source: DataSource { file.source(data, cache: cache) }

    /// Interactions with their item catalogue, display name and fingerprint.
    func interactions() throws -> LoadedInteractions { try source.interactions() }
}
