import Archive
import Datasets

/// The whole local `pretrain als` job as one library call: implicit ALS on
/// the leave-last-out training part (W8), or explicit weighted-λ ALS on the
/// 80/20 ratings split (W1), with its archive and figures.
public enum ALSJob {
    /// Runs `config` on `data` (whose provenance is `source`): implicit ALS,
    /// or with `ratings` explicit ALS (λ `regularization`, default
    /// `ExplicitALS.defaultRegularization`; `validation` measures on a tenth
    /// of the training part). `regularization` nil keeps `config`'s for
    /// implicit ALS. `note` hears the settings and each implicit sweep.
    public static func run(_ data: Interactions, config: ALSConfig, regularization: Float?, ratings: Bool, validation: Bool,
                           source: ArchiveManifest.DataProvenance,
                           note: @escaping (String) -> Void = { _ in }) throws -> (archive: ArchiveContents, metrics: [String: JSONValue]) {
        if ratings {
            let result = try ALSRunner.runExplicit(data, factors: config.factors, regularization: regularization ?? ExplicitALS.defaultRegularization,
                                                   iterations: config.iterations, threads: config.threads, seed: config.seed, validation: validation)
            return (result.archive(items: data.itemVocabulary, seed: config.seed, data: source), result.metrics)
        }
        var config = config
        config.regularization = regularization ?? config.regularization
        note("als: \(config.factors) factors, \(config.iterations) sweeps, alpha \(config.alpha), λ \(config.regularization), \(config.cgSteps) CG steps, \(config.threads) thread(s), seed \(config.seed)")
        let result = try ALSRunner.run(data, config: config) { sweep, seconds in
            note(String(format: "sweep %d/%d  %.3fs", sweep, config.iterations, seconds))
        }
        return (result.archive(items: data.itemVocabulary, data: source), result.metrics)
    }
}
