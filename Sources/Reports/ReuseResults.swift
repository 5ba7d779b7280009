import Archive
import FileIO
import Foundation

/// One cell of a reuse grid, run with one seed.
public struct ReuseRun: Codable, Sendable, Equatable {
    /// The archive's name ("none" for the random start).
    public var archive: String
    /// The start mode.
    public var start: String
    /// Share of the training labels used.
    public var fraction: Double
    /// The seed of the label sample, initialisation and batch order.
    public var seed: UInt64
    /// Training examples (or users) actually used.
    public var trainingExamples: Int
    /// Every metric the task has.
    public var metrics: [String: Double]
    /// The validation figure after each evaluation (learning curve).
    public var curve: [Double]
    /// Training time in seconds.
    public var seconds: Double

    /// A run record.
    public init(archive: String, start: String, fraction: Double, seed: UInt64, trainingExamples: Int, metrics: [String: Double],
                curve: [Double], seconds: Double) {
        self.archive = archive
        self.start = start
        self.fraction = fraction
        self.seed = seed
        self.trainingExamples = trainingExamples
        self.metrics = metrics
        self.curve = curve
        self.seconds = seconds
    }

    /// Identity of the run in the grid.
    public var key: String { "\(archive)|\(start)|\(fraction)|\(seed)" }
}

/// An archive's intrinsic figures beside the downstream results.
public struct ArchiveProbe: Codable, Sendable, Equatable {
    /// The archive's name in the grid.
    public var name: String
    /// How it was made.
    public var method: String
    /// Rows x dimension.
    public var rows: Int, dimension: Int
    /// Share of the task's keys the archive has.
    public var coverage: Double
    /// Share of an item's 10 nearest neighbours sharing a genre, and the chance level (item archives).
    public var genreAgreement: Double?, genreChance: Double?
    /// Mean overlap@10 of nearest neighbours with each other archive, by name.
    public var overlap: [String: Double]
}

/// Every run of a grid and what describes it; saved as JSON after each run.
public struct ReuseResults: Codable, Sendable {
    /// The task.
    public var task: String
    /// The metric the report leads with.
    public var headline: String
    /// What the task and its splits are, for the report.
    public var description: String
    /// The runs so far.
    public var runs: [ReuseRun]
    /// The archives' probes.
    public var probes: [ArchiveProbe]

    /// Empty results for a new grid.
    public init(task: String, headline: String, description: String, runs: [ReuseRun], probes: [ArchiveProbe]) {
        self.task = task
        self.headline = headline
        self.description = description
        self.runs = runs
        self.probes = probes
    }

    /// Reads results, or nil when the file does not exist.
    public static func load(path: String) throws -> ReuseResults? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(ReuseResults.self, from: data) } catch {
            throw ArchiveError(path: path, "not a reuse results file: \(error)")
        }
    }

    /// Writes the results atomically.
    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
