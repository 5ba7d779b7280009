import Datasets
import Foundation
import Testing

/// Data files that once crashed a reader or were accepted though damaged:
/// each must end in a DatasetError naming the file, and the line and field
/// where there is one.
/// `text` written as `name` in a fresh temporary folder; returns its path.
private func file(_ text: String, _ name: String = "data.tsv") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warmstart-hostile-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
    return dir + "/" + name
}

@Suite("Hostile data files: clear errors, never a crash or a silent acceptance")
struct HostileDataTests {
    @Test("ratings, timestamps and weights of nan or inf name the file, line and column",
          arguments: ["nan", "inf", "-inf", "NaN"])
    func nonFiniteNumbers(value: String) throws {
        let path = try file("user_id:token\titem_id:token\trating:float\ttimestamp:float\nu1\ti1\t4\t1\nu1\ti2\t\(value)\t2\n", "x.inter")
        let e = datasetError { _ = try Interactions.read(path: path, layout: .recBole, columns: .recBole) }
        #expect(e == .malformedLine(file: path, line: 3, message: "column 'rating' is '\(value)', not a finite number"), "\(String(describing: e))")
    }

    @Test("a header with a byte-order mark reads as without one")
    func byteOrderMark() throws {
        let path = try file("\u{FEFF}user,item,rating\nu1,i1,4\nu2,i2,5\n", "bom.csv")
        let data = try Interactions.read(path: path, layout: .movieLensCSV,
                                         columns: InteractionColumns(user: "user", item: "item", rating: "rating"))
        #expect(data.count == 2 && data.userVocabulary.keys == ["u1", "u2"] && data.ratings == [4, 5])
    }

    @Test("item-bag tokens: a lone ':', a weight without a key, non-finite weights, an empty bag",
          arguments: [("spam\ti1 :", "token ':' has no item key before its ':'"), ("spam\t:5 i2", "token ':5' has no item key before its ':'"),
                      ("spam\ti1:nan", "weight 'nan' of item 'i1' is not a finite number"),
                      ("spam\ti1:inf i2", "weight 'inf' of item 'i1' is not a finite number"),
                      ("spam\t ", "the bag after the label has no items")])
    func itemBagTokens(line: String, message: String) throws {
        let path = try file("ham\ti1 i2:0.5\n" + line + "\n")
        let e = datasetError { _ = try LabelledItemBags.read(path: path) }
        #expect(e == .malformedLine(file: path, line: 2, message: message), "\(String(describing: e))")
    }

    @Test("a folder passed as a data file says it is a folder")
    func folder() throws {
        let path = (try file("x")) as NSString
        let dir = path.deletingLastPathComponent
        let e = datasetError { try LineReader(path: dir).forEachLine { _, _ in } }
        #expect(e == .unreadable(file: dir, message: "is a folder, not a data file"), "\(String(describing: e))")
    }

    @Test("too little data for leave-last-out is an error naming the minimum, not metrics of 0")
    func tooLittleInteractionData() throws {
        let path = try file("user_id:token\titem_id:token\nu1\ti1\nu2\ti1\nu2\ti2\n", "few.inter")
        let data = try Interactions.read(path: path, layout: .recBole, columns: InteractionColumns(user: "user_id", item: "item_id"))
        let e = datasetError { _ = try LeaveLastOutSplit(checking: data) }
        #expect(e?.description.contains("too little data") == true && e!.description.contains("3 events") && e!.description.hasPrefix(path))
        let enough = try file("user_id:token\titem_id:token\nu1\ti1\nu1\ti2\nu1\ti3\n", "enough.inter")
        let split = try LeaveLastOutSplit(checking: try Interactions.read(path: enough, layout: .recBole,
                                                                           columns: InteractionColumns(user: "user_id", item: "item_id")))
        #expect(split.test == [2] && split.validation == [1] && split.train == [[0]])
    }

    @Test("a 10 MB line is read as one line; the reader keeps no more than the line")
    func longLine() throws {
        let long = String(repeating: "abcdefghij", count: 1_000_000)
        let path = try file("first\n" + long + "\nlast\n", "long.txt")
        var lengths: [Int] = []
        try LineReader(path: path).forEachLine { _, line in lengths.append(line.utf8.count) }
        #expect(lengths == [5, 10_000_000, 4])
    }
}

@Suite("One reader of interactions files for every command")
struct InteractionFilesTests {
    @Test("named columns with any one-character delimiter ('\\t' spelled out too), or by the file's name; errors name the file")
    func columnsAndNames() throws {
        let semicolons = try file("when;who;what;score\n5;u1;i1;4\n6;u2;i2;3\n7;u1;i2;5\n", "log.txt")
        let read = try InteractionFiles.read(path: semicolons, columns: ["who", "what", "score", "when"], delimiter: ";")
        #expect(read.count == 3 && read.userCount == 2 && read.ratings == [4, 3, 5] && read.timestamps == [5, 6, 7])
        let tabs = try file("u\ti\nu1\ti1\nu2\ti1\n", "plain.tsv")
        #expect(try InteractionFiles.read(path: tabs, columns: ["u", "i"], delimiter: "\\t").itemCount == 1)
        #expect(try InteractionFiles.read(path: tabs, columns: ["u", "i"]).count == 2)
        let csv = try file("userId,movieId,rating,timestamp\n1,10,4.5,100\n", "ratings.csv")
        #expect(InteractionFiles.isKnownByName(csv) && !InteractionFiles.isKnownByName(tabs))
        #expect(try InteractionFiles.read(path: csv).ratings == [4.5])
        for (columns, delimiter) in [(["u"], nil), (["u", "i"], "::"), (["u", ""], nil)] as [([String], String?)] {
            let e = datasetError { _ = try InteractionFiles.read(path: tabs, columns: columns, delimiter: delimiter) }
            #expect(e?.description.hasPrefix(tabs) == true, "\(String(describing: e))")
        }
        #expect(datasetError { _ = try InteractionFiles.read(path: tabs) }?.description.contains("--columns") == true)
    }
}
