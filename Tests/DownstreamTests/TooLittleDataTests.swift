import Datasets
import Downstream
import Foundation
import Testing

@Suite("Classification tasks refuse too little data")
struct TooLittleDataTests {
    @Test("a label with fewer examples than the three splits need is an error naming it and the minimum")
    func scarceLabel() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("four-\(UUID().uuidString).tsv").path
        var lines = "ham\thello there\nspam\twin money\nham\tsee you\nspam\tfree prize\n"
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
        var texts = try LabelledTexts.readTabSeparated(path: path)
        let e = datasetError { _ = try ClassificationTask.text(texts, positiveLabel: "spam") }
        #expect(e?.description == "\(path): too little data: label 'ham' has 2 example(s); each label needs at least 8 for the training, validation and test parts")
        // At the minimum, every part holds both labels.
        for i in 0..<12 { lines += (i % 2 == 0 ? "ham" : "spam") + "\ttext \(i)\n" }
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
        texts = try LabelledTexts.readTabSeparated(path: path)
        let task = try ClassificationTask.text(texts, positiveLabel: "spam")
        for part in [task.fit, task.validation, task.test] {
            #expect(Set(part.targets.map { $0[0] }) == [0, 1])
        }
    }
}

/// The error thrown by `body`, as a DatasetError.
private func datasetError(_ body: () throws -> Void) -> DatasetError? {
    do { try body() } catch let e as DatasetError { return e } catch { return nil }
    return nil
}
