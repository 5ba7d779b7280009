import Archive
import Autograd
import Datasets
import Evaluation

/// The files a next-item training job writes or resumes from.
public struct NextItemFiles: Sendable {
    /// The model archive (the kept checkpoint, see `CheckpointSelection`, is written as training goes).
    public var model: String?
    /// A resumable snapshot written after every epoch.
    public var checkpoint: String?
    /// A snapshot to resume from (same data and settings).
    public var resume: String?

    /// The files (none by default).
    public init(model: String? = nil, checkpoint: String? = nil, resume: String? = nil) {
        self.model = model
        self.checkpoint = checkpoint
        self.resume = resume
    }
}

extension NextItemRunner {
    /// The whole `nextitem train` job on `loaded`'s leave-last-out split:
    /// builds the model (warm-started from `archive` as `config` says, or
    /// resumed from `files.resume`), trains with checkpoints, evaluates, and
    /// saves; returns the figures `summary` gives (plus the model's path).
    public static func train(_ loaded: LoadedInteractions, archive: KeyedEmbeddings?, config: NextItemRunConfig,
                             files: NextItemFiles = NextItemFiles(), note: ((String) -> Void)? = nil,
                             progress: ((NextItemEpoch) -> Void)? = nil) throws -> [String: JSONValue] {
        let threadsBefore = MathThreads.blasThreads
        if let threads = config.training.threads {
            guard threads >= 1 else { throw DatasetError.invalidRequest("threads must be at least 1 (got \(threads))") }
            MathThreads.setBLASThreads(threads)
        }
        defer { MathThreads.setBLASThreads(threadsBefore) }
        var config = config
        // The archive records the rate and dropout the run used, not "none named".
        config.training.learningRate = config.learningRate
        config.dropout = config.modelDropout
        let data = NextItemData(split: try LeaveLastOutSplit(checking: loaded.data), items: loaded.data.itemVocabulary, maxLength: config.maxLength)
        var (net, warm) = try model(for: data, archive: archive, config: config)
        note?(warm.summary)
        var resumeState: NextItemTrainingState?
        if let resume = files.resume {
            let (saved, vocabulary, state) = try NextItemArchive.loadSnapshot(path: resume)
            guard vocabulary.keys == data.keys, saved.config == net.config else {
                throw ArchiveError(path: resume, "the snapshot was made with other data or settings")
            }
            (net, resumeState) = (saved, state)
            note?("resuming after epoch \(state.epoch) from \(resume)")
        }
        note?("\(config.encoder.rawValue): \(data.trainingUsers.count) users, \(data.rows - 1) items, max length \(config.maxLength), dim \(net.config.dimension), learning rate \(config.learningRate), dropout \(config.modelDropout), seed \(config.seed)")
        let provenance = loaded.provenance(split: "leave-last-out train")
        let result = try run(net, warmStart: warm, data: data, config: config, resume: resumeState, progress: progress, checkpoint: { m, r in
            guard let path = files.model else { return }
            try NextItemArchive.save(m, keys: data.keys, metrics: ["validation_ndcg@10": .number(r.validationNDCG ?? 0), "epoch": .number(Double(r.epoch))],
                                     seed: config.seed, data: provenance, settings: config, to: path)
        }, snapshot: { state in
            guard let path = files.checkpoint else { return }
            try NextItemArchive.saveSnapshot(net, state: state, keys: data.keys, seed: config.seed, to: path)
        })
        var metrics = summary(result, data: data, config: config, archive: archive, items: loaded.data.itemVocabulary)
        if let path = files.model {
            try NextItemArchive.save(net, keys: data.keys, metrics: .object(metrics), seed: config.seed, data: provenance, settings: config, to: path)
            metrics["model_archive"] = .string(path)
        }
        return metrics
    }

    /// A saved model's test figures on `loaded` (the data it was trained on):
    /// HR@10, NDCG@10, MRR and coverage over the full catalogue.
    public static func evaluate(modelAt path: String, on loaded: LoadedInteractions, keepSeen: Bool) throws -> [String: JSONValue] {
        let (net, vocabulary) = try NextItemArchive.load(path: path)
        guard Array(vocabulary.keys.dropFirst()) == loaded.data.itemVocabulary.keys else {
            throw ArchiveError(path: path, "the model's items do not match \(loaded.name)'s")
        }
        let data = NextItemData(split: try LeaveLastOutSplit(checking: loaded.data), items: loaded.data.itemVocabulary, maxLength: net.config.maxLength)
        let (test, coverage) = NextItemTrainer.evaluate(net, data: data, target: .test, keepSeen: keepSeen)
        return ["test_hr@10": .number(test.hitRate), "test_ndcg@10": .number(test.ndcg), "test_mrr": .number(test.mrr),
                "coverage@10": .number(coverage), "users": .number(Double(test.users))]
    }
}
