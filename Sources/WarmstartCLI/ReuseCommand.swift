import Archive
import ArgumentParser
import Datasets
import Downstream
import Foundation
import Reports

extension ReuseTaskName: ExpressibleByArgument {}

/// `warmstart reuse`: do pretrained embeddings help this task, and how much?
struct ReuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reuse",
        abstract: "Run the reuse grid (archive x start x label share x seed) and write a report (Markdown, HTML, SVG).",
        discussion: """
        Every cell trains to a validation-based stop (at least --min-steps optimizer steps, then --patience epochs
        without a better validation figure; the best weights are kept), with the binary threshold chosen on validation
        data. Results go to OUT/results.json after every run; rerunning the same command resumes an interrupted grid.
        """)

    @Option(help: "spam, shilling, genres, nextitem (ml-100k or --data LOG), text or items (--data FILE).") var task = ReuseTaskName.spam
    @OptionGroup var source: DataOptions
    @Option(help: "text, items: the positive label.") var positiveLabel = "spam"
    @Option(help: "text, items: a test file you split off (then --data is the training part).") var test: String?
    @Option(help: "text, items with --test: a validation file (default: a stratified tenth of --data).") var validation: String?
    @Option(parsing: .upToNextOption, help: "Archives (files or store NAME[@VERSION]).") var archives: [String]
    @Option(help: "Shares of the training labels, comma-separated.") var fractions = "0.01,0.05,0.1,0.25,0.5,1"
    @Option(help: "Number of seeds (0, 1, …).") var seeds = 3
    @Option(help: "Pretrained starts, comma-separated.") var starts = "frozen,finetuned,finetuned-slow,gradual"
    @Option(help: "Classifier: minimum optimizer steps per cell.") var minSteps = 550
    @Option(help: "Classifier: epochs without a better validation figure before stopping.") var patience = 5
    @Option(help: "Next-item: epochs per cell (evaluated every 5).") var epochs = 20
    @Option(help: "Pretrained rows scaled first: init, unit, none or auto (default: the task runner's).") var rescale: RescalePolicy?
    @Option(help: "Report folder.") var out: String
    @OptionGroup var location: StoreLocation

    func run() throws {
        try reportingErrors {
            let loaded = try archives.map { try ReuseGrid.archive($0, at: try location.modelStore.locate($0)) }
            var grid = ReuseGrid(archives: loaded, fractions: try ReuseGrid.shares(fractions), seeds: (0..<UInt64(max(seeds, 1))).map { $0 })
            grid.starts = try ReuseGrid.starts(starts)
            var config = ReuseJobConfig()
            config.minimumSteps = minSteps; config.patience = patience; config.nextItemEpochs = epochs; config.rescale = rescale
            config.task.testFile = test; config.task.validationFile = validation; config.task.positiveLabel = positiveLabel
            try config.use(source.source, for: task)
            let report = try ReuseJob.run(task, grid: grid, config: config, folder: out, log: ProgressReporter.note)
            print("wrote \(out)/report.md, \(out)/report.html and \(out)/results.json (\(report.results.runs.count) runs)")
            report.meetingLines.forEach { print($0) }
        }
    }
}
