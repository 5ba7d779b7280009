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

    /// The archive file for `argument`: the path itself when it exists, else `NAME[@VERSION]` in the store.
    func archivePath(_ argument: String) throws -> String {
        if FileManager.default.fileExists(atPath: argument) { return argument }
        let s = modelStore
        return s.path(of: try s.resolve(argument))
    }
}

/// Runs `body`, printing a dataset, archive or Spark error as one line (naming the
/// file, line or field) and exiting with status 1.
@discardableResult
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as DatasetError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(1)
    } catch let error as ArchiveError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(1)
    } catch let error as SparkError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}
