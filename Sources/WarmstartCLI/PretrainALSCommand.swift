import Archive
import ArgumentParser
import Downstream
import Pretraining
import Reports
import SparkEngine

/// `warmstart pretrain als`: implicit-feedback alternating least squares.
struct PretrainALS: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "als",
        abstract: "Implicit-feedback ALS (Hu et al. 2008) with a conjugate-gradient solver (W8): every training pair a positive of confidence 1 + alpha.",
        discussion: "Reports HR@10 / NDCG@10 of user · item over the full catalogue on the leave-last-out validation and test targets. `implicit`'s alpha is 1 + this one.")
    @OptionGroup var source: DataOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var engine: EngineOptions
    @Option(help: "Factors.") var factors = 64
    @Option(help: "Sweeps.") var iterations = 15
    @Option(help: "Confidence of an observed pair is 1 + alpha (default chosen on validation).") var alpha: Float = ALSConfig().alpha
    @Option(help: "L2 weight on every factor row (default: 0.01 implicit, 0.12 per rating with --ratings, MLlib's regParam 0.01 with --engine spark; all chosen on validation).") var regularization: Float?
    @Option(help: "Conjugate-gradient steps per row (0: exact Cholesky solve).") var cgSteps = 3
    @Option(help: "Rows solved in parallel.") var threads = 2
    @Option(help: "Seed of the starting factors.") var seed: UInt64 = 0
    @Flag(help: "Explicit ratings (W1): weighted-λ ALS on the 80/20 ratings split, reporting test RMSE (--regularization is λ per rating).") var ratings = false
    @Flag(help: "With --ratings: report RMSE on a validation tenth of the training part instead (for choosing λ).") var validation = false

    func run() throws {
        try reportingErrors {
            if ratings && engine.engine == .spark { throw SparkError.unsupported("--ratings (explicit ALS) runs locally only") }
            var config = ALSConfig()
            config.factors = factors; config.iterations = iterations; config.alpha = alpha; config.regularization = regularization ?? config.regularization
            config.cgSteps = cgSteps; config.threads = threads; config.seed = seed
            if engine.engine == .spark {
                return try engine.run(.als(source.source, config: config, regularization: regularization ?? SparkJob.defaultRegularization), output: output)
            }
            let loaded = try source.interactions()
            let result = try ALSJob.run(loaded.data, config: config, regularization: regularization, ratings: ratings, validation: validation,
                                        source: loaded.provenance(split: ""), note: ProgressReporter.note)
            try output.write(result.archive, metrics: result.metrics, catalog: loaded.catalog)
        }
    }
}
