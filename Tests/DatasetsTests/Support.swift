import Datasets
import Foundation
import Testing

/// Path of a fixture file shipped with the tests.
func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
}

/// The data cache, or nil (with a note) when the public data is missing
/// outside CI. In CI (`CI` set) missing data is a failure: `make test` fetches it first.
func realDataCache(_ dataset: String, sourceLocation: SourceLocation = #_sourceLocation) -> DataCache? {
    let cache = DataCache.defaultCache()
    let marker = ["ml-100k": "ml-100k/ml-100k.inter", "sms-spam": "sms-spam/spam_collection.csv", "kjv": "kjv/kjv.txt"][dataset]!
    if FileManager.default.fileExists(atPath: cache.path(marker)) { return cache }
    if ProcessInfo.processInfo.environment["CI"] != nil {
        Issue.record("\(dataset) is not in \(cache.root); make test fetches it before the tests", sourceLocation: sourceLocation)
    } else {
        print("note: skipping a real-data test: \(dataset) is not fetched. Run `make test` or `warmstart datasets fetch \(dataset)`.")
    }
    return nil
}

/// The error thrown by `body`, as a DatasetError.
func datasetError(_ body: () throws -> Void) -> DatasetError? {
    do { try body() } catch let e as DatasetError { return e } catch { return nil }
    return nil
}
