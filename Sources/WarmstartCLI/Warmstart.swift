import ArgumentParser
import Archive

/// The `warmstart` command: one subcommand per file in this folder.
struct Warmstart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warmstart",
        abstract: "Learn item embeddings, pack them into archives, and warm-start downstream models.",
        version: WarmstartVersion.string,
        subcommands: [DatasetsCommand.self, PretrainCommand.self, ClassifyCommand.self, NextItemCommand.self, ReuseCommand.self, StoreCommand.self, ExportCommand.self, ImportCommand.self, SimilarCommand.self, Bench.self])
}
