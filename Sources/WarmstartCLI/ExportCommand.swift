import Archive
import ArgumentParser
import Foundation
import SparkEngine

extension InterchangeFormat: ExpressibleByArgument {}

/// `warmstart export`: an archive's embeddings in another tool's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an archive's embeddings as word2vec text/binary, .npy + vocab.tsv, safetensors or projector TSV.")

    @Argument(help: "Archive file or NAME[@VERSION].") var archive: String
    @Option(help: "word2vec-text, word2vec-binary, npy, safetensors or projector.") var format: InterchangeFormat
    @Option(help: "Output file (or folder for npy and projector).") var out: String
    @OptionGroup var location: StoreLocation

    func run() throws {
        try reportingErrors {
            let contents = try WarmArchive.read(path: try location.modelStore.locate(archive))
            try Interchange.export(try KeyedEmbeddings(contents), counts: contents.vocabulary?.counts, format: format, to: out)
            print("wrote \(contents.vocabulary?.count ?? 0) vectors to \(out) (\(format.rawValue))")
        }
    }
}

/// `warmstart import`: another tool's embeddings into a `.warm` archive.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Pack word2vec text/binary, .npy + vocab.tsv, safetensors embeddings or a Spark job's shard folder into a .warm archive.")

    @Argument(help: "The file (or folder for npy and spark-shards).") var input: String
    @Option(help: "word2vec-text, word2vec-binary, npy, safetensors, or spark-shards (a warmstart_spark.py job's --out folder).") var format: ImportFormat
    @Option(help: "The .warm archive to write.") var out: String
    @Flag(help: "Keep NaN or infinite values instead of refusing them.") var allowNonfinite = false

    func run() throws {
        try reportingErrors {
            let (contents, notes) = try format.archive(from: input, allowNonFinite: allowNonfinite)
            notes.forEach { print("note: \($0)") }
            try WarmArchive.write(contents, to: out, allowNonFinite: allowNonfinite)
            print("wrote \(contents.vocabulary?.count ?? 0) x \(contents.tensors["vectors"]?.shape.last ?? 0) embeddings to \(out)")
        }
    }
}

extension ImportFormat: ExpressibleByArgument {
    /// The format named on the command line.
    public init?(argument: String) { self.init(name: argument) }
}

/// `warmstart similar`: nearest neighbours of a key.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similar", abstract: "The keys nearest to KEY by cosine similarity.")

    @Argument(help: "Archive file or NAME[@VERSION].") var archive: String
    @Argument(help: "The key (an item id or a token).") var key: String
    @Option(name: .shortAndLong, help: "How many neighbours.") var k = 10
    @OptionGroup var location: StoreLocation

    func run() throws {
        try reportingErrors {
            let embeddings = try location.modelStore.embeddings(archive)
            guard let neighbours = embeddings.nearest(to: key, k: k) else {
                throw ArchiveError(path: archive, "no key \(key.debugDescription) in the archive's vocabulary")
            }
            for (rank, n) in neighbours.enumerated() {
                print(String(format: "%3d  %.4f  %@", rank + 1, n.similarity, n.key))
            }
        }
    }
}
