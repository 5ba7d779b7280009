import Archive
import ArgumentParser
import Foundation

/// `warmstart store`: the model store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "List, show, add, remove and verify archives in the model store.",
        subcommands: [List.self, Show.self, Add.self, Remove.self, Verify.self, GarbageCollect.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the archives in the store.")
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                location.modelStore.listing(try location.modelStore.list()).forEach { print($0) }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an archive's manifest (a file, or NAME[@VERSION] in the store).")
        @Argument(help: "Archive file or NAME[@VERSION].") var archive: String
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                let manifest = try WarmArchive.readManifest(path: try location.modelStore.locate(archive))
                print(String(decoding: try manifest.encoded(), as: UTF8.self))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check an archive and add it to the store as a new version.")
        @Argument(help: "The .warm file.") var archive: String
        @Option(help: "Name in the store (a-z, 0-9, '.', '_', '-').") var name: String
        @Option(help: "Version number (default: the next one).") var version: Int?
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                let entry = try location.modelStore.add(archive: archive, name: name, version: version)
                print("added \(entry.reference) (\(entry.kind), \(entry.method)) to \(location.modelStore.root)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove one version of an archive from the store.")
        @Argument(help: "NAME@VERSION.") var reference: String
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                let entry = try location.modelStore.remove(reference)
                print("removed \(entry.reference)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every stored archive (or one) against the index and its own manifest; exit 1 on any problem or stray file.")
        @Argument(help: "NAME[@VERSION], default all.") var reference: String?
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                let report = try location.modelStore.verify(reference)
                report.lines.forEach { print($0) }
                if !report.isClean { throw ExitCode(1) }
            }
        }
    }

    struct GarbageCollect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc", abstract: "Remove what interrupted writes left: stale temporary files and archives the index does not list.")
        @OptionGroup var location: StoreLocation

        func run() throws {
            try reportingErrors {
                let removed = try location.modelStore.collectGarbage()
                for file in removed { print("removed \(file)") }
                if removed.isEmpty { print("nothing to remove in \(location.modelStore.root)") }
            }
        }
    }
}
