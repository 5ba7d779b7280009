import Archive
import Datasets
import ArgumentParser
import Foundation
import SparkEngine

/// Where archives are looked up: a file path, or a name in the model store.
struct StoreLocation: ParsableArguments {
    @Option(help: "The model store folder (default: $WARMSTART_STORE, else ./models).")
    var store: String?

    var modelStore: ModelStore { ModelStore(root: store ?? ModelStore.defaultRoot()) }
}

/// Runs `body`, printing a dataset, archive or Spark error as one line (naming the
/// file, line or field) and exiting with status 1.
@discardableResult
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch {
        let known: [CustomStringConvertible?] = [error as? DatasetError, error as? ArchiveError, error as? SparkError]
        guard let message = known.compactMap({ $0 }).first?.description else { throw error }
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        throw ExitCode(1)
    }
}
