import Archive
import Autograd
import Downstream
import Evaluation
import Foundation
import Reports
import Testing

@Suite("Reuse grid and report")
struct ReuseReportTests {
    func run(_ archive: String, _ start: String, _ fraction: Double, _ seed: UInt64, _ f1: Double) -> ReuseRun {
        ReuseRun(archive: archive, start: start, fraction: fraction, seed: seed, trainingExamples: Int(fraction * 1000),
                 metrics: ["f1": f1], curve: [f1 - 0.1, f1], seconds: 1)
    }

    func handMade() -> ReuseResults {
        let runs = [
            run("none", "random", 0.1, 0, 0.50), run("none", "random", 0.1, 1, 0.52), run("none", "random", 0.1, 2, 0.54),
            run("w", "finetuned", 0.1, 0, 0.60), run("w", "finetuned", 0.1, 1, 0.63), run("w", "finetuned", 0.1, 2, 0.64),
            run("none", "random", 1, 0, 0.90), run("none", "random", 1, 1, 0.91), run("none", "random", 1, 2, 0.92),
            run("w", "finetuned", 1, 0, 0.91), run("w", "finetuned", 1, 1, 0.90), run("w", "finetuned", 1, 2, 0.93),
        ]
        return ReuseResults(task: "spam", headline: "f1", description: "hand-made", runs: runs, probes: [])
    }

    @Test("cells: mean, spread and the paired gain over random on the same seeds")
    func aggregation() throws {
        let report = ReuseReport(handMade())
        let small = try #require(report.cells.first { $0.start == "finetuned" && $0.fraction == 0.1 })
        #expect(abs(small.mean - 0.62333333) < 1e-6 && small.values == [0.60, 0.63, 0.64])
        #expect(abs(small.spread - Statistics.standardDeviation([0.60, 0.63, 0.64])) < 1e-12)
        // differences 0.10, 0.11, 0.10 → mean 0.10333
        #expect(abs(small.gain!.meanDifference - 0.1033333) < 1e-6 && abs(small.gain!.pValue! - 0.00104) < 5e-5)  // t = 31.0, df 2
        let full = try #require(report.cells.first { $0.start == "finetuned" && $0.fraction == 1 })
        #expect(abs(full.gain!.meanDifference - 0.0033333) < 1e-6 && full.gain!.pValue! > 0.05)
        #expect(report.cells.first { $0.start == "random" }!.gain == nil)
    }

    @Test("pretrained and random meet where the gain stops being significant")
    func meetingPoint() {
        let points = ReuseReport(handMade()).meetingPoints()
        #expect(points.count == 1 && points[0].line == "w finetuned" && points[0].fraction == 1 && points[0].examples == 1000)
    }

    @Test("the report is self-contained: tables, inline SVG, no scripts or network")
    func htmlAndMarkdown() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reuse-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ReuseReport(handMade()).write(to: folder)
        let md = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        #expect(md.contains("| 0.1 | 100 | w finetuned | 0.6233 ± 0.0208 | +0.1033 |"))
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("<table>") && !html.contains("<script"))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        #expect(FileManager.default.fileExists(atPath: folder + "/efficiency.svg"))
    }

    @Test("an interrupted grid resumes: runs already in the results are not run again")
    func resume() throws {
        let keys = ["<unk>", "a", "b"]
        let examples = ClassificationExamples(bags: [[1], [2], [1, 2], [2]], targets: [[1], [0], [1], [0]])
        let task = ClassificationTask(name: "t", head: .binary, labels: ["n", "p"], keys: keys, unknownRow: 0, fit: examples,
                                      validation: examples, test: examples, trainingTexts: [], textNGrams: 1)
        var config = ClassificationRunConfig()
        config.dimension = 2; config.training.epochs = 1
        let archive = try KeyedEmbeddings(keys: ["a", "b"], vectors: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        var grid = ReuseGrid(archives: [("toy", archive, "test")], fractions: [1], seeds: [0, 1])
        grid.starts = [.finetuned]
        var results = ReuseResults(task: "t", headline: "f1", description: "", runs: [], probes: [])
        results.runs.append(ReuseRun(archive: "none", start: "random", fraction: 1, seed: 0, trainingExamples: 4, metrics: ["f1": -1],
                                     curve: [], seconds: 0))
        var messages: [String] = []
        try grid.run(.classification(task, config), into: &results, savingTo: nil) { messages.append($0) }
        #expect(results.runs.count == 4)
        #expect(results.runs.filter { $0.key == "none|random|1.0|0" }.count == 1 && results.runs[0].metrics["f1"] == -1)
        #expect(messages.first?.contains("resuming: 1 of 4") == true)
    }
}
