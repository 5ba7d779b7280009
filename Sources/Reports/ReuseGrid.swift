import Archive
import Autograd
import Datasets
import Dispatch
import Downstream
import Evaluation
import Foundation

/// The downstream task a grid runs.
public enum ReuseTask {
    /// A classification task (spam, shilling, genres, your labelled text).
    case classification(ClassificationTask, ClassificationRunConfig)
    /// Next-item recommendation over a leave-last-out split, run as `NextItemRunner` runs `nextitem train`.
    case nextItem(NextItemData, NextItemRunConfig)
}

/// Every archive x start x label fraction x seed, on the same splits.
public struct ReuseGrid {
    /// Archives by name.
    public var archives: [(name: String, embeddings: KeyedEmbeddings, method: String)]
    /// Pretrained starts to run for each archive (random runs once per fraction and seed).
    public var starts: [StartMode] = [.frozen, .finetuned, .finetunedSlow, .gradual]
    /// Shares of the training labels.
    public var fractions: [Double]
    /// Seeds.
    public var seeds: [UInt64]

    /// A grid.
    public init(archives: [(name: String, embeddings: KeyedEmbeddings, method: String)], fractions: [Double], seeds: [UInt64]) {
        self.archives = archives
        self.fractions = fractions
        self.seeds = seeds
    }

    /// The cells in run order: (archive name, embeddings, start, fraction, seed).
    func cells() -> [(String, KeyedEmbeddings?, StartMode, Double, UInt64)] {
        var cells: [(String, KeyedEmbeddings?, StartMode, Double, UInt64)] = []
        for fraction in fractions {
            for seed in seeds {
                cells.append(("none", nil, .random, fraction, seed))
                for a in archives { for s in starts { cells.append((a.name, a.embeddings, s, fraction, seed)) } }
            }
        }
        return cells
    }

    /// Runs the cells missing from `results` (resuming an interrupted grid),
    /// saving after each run, with a progress line and ETA on `log`.
    public func run(_ task: ReuseTask, into results: inout ReuseResults, savingTo path: String?,
                    log: (String) -> Void) throws {
        let done = Set(results.runs.map(\.key))
        let todo = cells().filter { c in !done.contains("\(c.0)|\(c.2.rawValue)|\(c.3)|\(c.4)") }
        let start = Date()
        if todo.count < cells().count { log("resuming: \(cells().count - todo.count) of \(cells().count) runs already in the results") }
        for (n, cell) in todo.enumerated() {
            let run = try Self.runCell(task, archive: cell.0, embeddings: cell.1, start: cell.2, fraction: cell.3, seed: cell.4)
            results.runs.append(run)
            if let path { try results.save(path: path) }
            let elapsed = Date().timeIntervalSince(start)
            let eta = elapsed / Double(n + 1) * Double(todo.count - n - 1)
            let bar = String(repeating: "#", count: (n + 1) * 20 / todo.count).padding(toLength: 20, withPad: ".", startingAt: 0)
            log(String(format: "[%@] %d/%d  %@ %@ f=%g seed %d: %@ %.4f  ETA %.0fs", bar, n + 1, todo.count, cell.0, cell.2.rawValue,
                       cell.3, Int(cell.4), results.headline, run.metrics[results.headline] ?? .nan, eta))
        }
    }

    static func runCell(_ task: ReuseTask, archive: String, embeddings: KeyedEmbeddings?, start: StartMode, fraction: Double,
                        seed: UInt64) throws -> ReuseRun {
        switch task {
        case .classification(let t, var config):
            let sampled = t.withLabelFraction(fraction, seed: seed)
            config.start = start
            config.seed = seed
            config.training.seed = seed
            if let embeddings { config.dimension = embeddings.dimension }
            let result = try ClassificationRunner.run(sampled, archive: embeddings, config: config)
            var metrics: [String: Double] = [:]
            for (k, v) in result.metrics { if let n = v.number { metrics[k] = n } }
            metrics["epochs"] = Double(result.epochs.count)
            return ReuseRun(archive: archive, start: start.rawValue, fraction: fraction, seed: seed, trainingExamples: sampled.fit.count,
                            metrics: metrics, curve: result.epochs.compactMap(\.validation), seconds: result.seconds)
        case .nextItem(let data, var config):
            config.start = start
            config.seed = seed
            var subset: NextItemData?
            if fraction < 1 {
                var order = data.trainingUsers
                var shuffler = SeededGenerator(seed: seed &+ 99)
                IndexSplit.shuffle(&order, &shuffler)
                subset = data.restricted(toUsers: Set(order.prefix(max(1, Int(Double(order.count) * fraction)))))
            }
            let result = try NextItemRunner.run(data, archive: embeddings, config: config, trainOn: subset)
            return ReuseRun(archive: archive, start: start.rawValue, fraction: fraction, seed: seed,
                            trainingExamples: (subset ?? data).trainingUsers.count,
                            metrics: ["ndcg@10": result.test.ndcg, "hr@10": result.test.hitRate, "mrr": result.test.mrr,
                                      "coverage@10": result.coverage, "warm_start_coverage": result.warmStart.coverage,
                                      "epochs": Double(result.epochs.count)],
                            curve: result.epochs.compactMap(\.validationNDCG), seconds: result.seconds)
        }
    }
}

/// Intrinsic probes of archives for a task.
public enum ArchiveProbes {
    /// Coverage of `taskKeys`, genre agreement (with `categories`), and overlap@10 between archives.
    public static func probe(_ archives: [(name: String, embeddings: KeyedEmbeddings, method: String)], taskKeys: [String],
                             categories: [String: [String]]?) -> [ArchiveProbe] {
        let keys = taskKeys.filter { !$0.hasPrefix("<") }
        let shared = keys.filter { k in archives.allSatisfy { $0.embeddings.row(of: k) != nil } }
        let sample = Array(shared.prefix(300))
        let neighbours = archives.map { a in sample.map { Set((a.embeddings.nearest(to: $0, k: 10) ?? []).map(\.key)) } }
        return archives.enumerated().map { (i, a) in
            let found = keys.filter { a.embeddings.row(of: $0) != nil }.count
            let agreement = categories.map { CategoryAgreement.measure(a.embeddings, categories: $0) }
            var overlap: [String: Double] = [:]
            for (j, b) in archives.enumerated() where j != i && !sample.isEmpty {
                overlap[b.name] = zip(neighbours[i], neighbours[j]).map { Double($0.intersection($1).count) / 10 }.reduce(0, +) / Double(sample.count)
            }
            return ArchiveProbe(name: a.name, method: a.method, rows: a.embeddings.keys.count, dimension: a.embeddings.dimension,
                                coverage: keys.isEmpty ? 0 : Double(found) / Double(keys.count),
                                genreAgreement: agreement?.neighbours, genreChance: agreement?.chance, overlap: overlap)
        }
    }
}
