import Archive
import Datasets
import Evaluation
import Foundation

/// Which factorization `pretrain mf` trains: a rating model (W1 and its
/// variants) or implicit BPR on the leave-last-out training part.
public enum FactorizationModel: Sendable, Equatable {
    /// A rating model on the seeded 80/20 ratings split (test RMSE).
    case rating(RatingModelKind)
    /// BPR on every training event (HR@10 / NDCG@10 on the test targets).
    case bpr

    /// The names `init(name:)` takes: the rating models' names and "bpr".
    public static let names = RatingModelKind.allCases.map(\.rawValue) + ["bpr"]

    /// The model named `name` (one of `names`).
    public init(name: String) throws {
        if name == "bpr" { self = .bpr; return }
        guard let kind = RatingModelKind(rawValue: name) else {
            throw DatasetError.invalidRequest("unknown model \(name); choose one of \(Self.names.joined(separator: ", "))")
        }
        self = .rating(kind)
    }

    /// The model's name, as `init(name:)` reads it.
    public var name: String {
        switch self {
        case .rating(let kind): kind.rawValue
        case .bpr: "bpr"
        }
    }
}

/// The settings of one matrix-factorization job: the model, and the rating
/// runner's settings, of which BPR reads the width, the L2 weight and the
/// training settings (`model` wins over `settings.model`).
public struct FactorizationJobConfig: Sendable {
    /// Rating model or BPR.
    public var model = FactorizationModel.rating(.explicit)
    /// Width, L2 weights, split seed, ensemble, optimizer, batches, epochs, seed, patience.
    public var settings = RatingRunConfig()

    /// The defaults (W1's explicit model).
    public init() {}

    /// A one-line description for progress notes.
    public var summary: String {
        switch model {
        case .bpr: "mf (bpr): dim \(settings.dimension), seed \(settings.training.seed), leave-last-out split"
        case .rating: "mf (\(model.name)): dim \(settings.dimension), seed \(settings.training.seed), split seed \(settings.splitSeed)"
        }
    }
}

/// What a factorization job made: the item-table archive and the figures to show.
public struct FactorizationJobResult {
    /// The archive to write (items, settings, provenance).
    public var archive: ArchiveContents
    /// Test figures, plus genre agreement where categories were given.
    public var metrics: [String: JSONValue]
}

/// The whole `pretrain mf` job as one library call: the rating runner or the
/// BPR runner by `config.model`, its archive, and its figures.
public enum FactorizationJob {
    /// Runs `config` on `data` (whose provenance is `source`); `note` hears
    /// the settings first and then each ensemble member's test RMSE (rating
    /// models), `progress` each epoch; `categories` adds genre agreement of
    /// the item vectors.
    public static func run(_ data: Interactions, config: FactorizationJobConfig, source: ArchiveManifest.DataProvenance,
                           categories: [String: [String]]? = nil, note: ((String) -> Void)? = nil,
                           progress: ((RatingEpochReport) -> Void)? = nil) throws -> FactorizationJobResult {
        note?(config.summary)
        let archive: ArchiveContents, metrics: [String: JSONValue]
        switch config.model {
        case .bpr:
            var run = ImplicitRunConfig()
            run.dimension = config.settings.dimension; run.l2 = config.settings.l2; run.training = config.settings.training
            let result = try ImplicitFactorizationRunner.run(data, config: run, progress: progress)
            archive = result.archive(run, items: data.itemVocabulary, data: source)
            metrics = result.metrics
        case .rating(let kind):
            var run = config.settings
            run.model = kind
            let result = try RatingFactorizationRunner.run(data, config: run, progress: progress) { k, rmse in
                note?(String(format: "member %d (seed %llu): test RMSE %.4f", k + 1, run.training.seed &+ UInt64(k), rmse))
            }
            archive = result.archive(run, items: data.itemVocabulary, data: source)
            metrics = result.metrics(run)
        }
        let agreement = CategoryAgreement.metrics(try KeyedEmbeddings(archive), categories: categories)
        return FactorizationJobResult(archive: archive, metrics: metrics.merging(agreement) { $1 })
    }
}
