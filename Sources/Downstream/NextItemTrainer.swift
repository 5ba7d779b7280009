import Autograd
import Datasets
import Dispatch
import Evaluation
import Optimizers

/// Settings of a next-item run (defaults: BENCHMARKS.md W5).
public struct NextItemTrainingConfig: Sendable, Codable, Equatable {
    /// Passes over the users.
    public var epochs = 100
    /// Users per step.
    public var batchSize = 128
    /// Adam's learning rate; nil: the recommended one
    /// (`NextItemRunConfig.recommendedLearningRate`; the trainer alone,
    /// which does not know how the item table started, takes a random start's).
    public var learningRate: Float?
    /// Evaluate validation NDCG@10 every this many epochs.
    public var evaluateEvery = 1
    /// Stop after this many evaluations without improvement (nil: never); the kept weights are restored.
    public var patience: Int?
    /// Which evaluation's weights the run ends with (nil: `defaultSelection`).
    public var selection: CheckpointSelection?
    /// Keep seen items in the ranking (repeat consumption).
    public var keepSeen = false
    /// Seed of the batch order.
    public var seed: UInt64 = 0
    /// Which training window each user gives per epoch: `random` by default,
    /// chosen on validation NDCG@10 (ml-100k, 3 seeds, both encoders won
    /// with it); `last` is BENCHMARKS.md W5/W6 as written.
    public var windows = TrainingWindows.random
    /// The loss (full softmax, or sampled softmax / BPR for large catalogues).
    public var loss = NextItemLoss.fullSoftmax
    /// Epochs with the input item table frozen before it trains too (gradual unfreezing); no early stop before then.
    public var frozenEpochs = 0
    /// Threads for the matrix products (OpenBLAS) and the row-wise kernels,
    /// which share the count, set by `NextItemRunner.train` for its run and
    /// restored after; nil: the process's setting (`MathThreads`).
    public var threads: Int?

    /// Defaults.
    public init() {}

    /// The checkpoint selection used when none is asked for.
    public static let defaultSelection = CheckpointSelection.smoothed
}

/// Which part of a user's training sequence an epoch trains on.
public enum TrainingWindows: String, Sendable, Codable, CaseIterable {
    /// The last `maxLength + 1` items (BENCHMARKS.md W5/W6 as written).
    case last
    /// A window ending at a uniformly drawn position from the last possible
    /// one back to the earliest full-length one, redrawn every epoch (seeded),
    /// so users with long histories contribute all of them over the epochs.
    case random
}

/// Where a run stands after an epoch: enough to resume it exactly.
public struct NextItemTrainingState {
    /// The last finished epoch.
    public var epoch: Int
    /// The optimizer's step count and per-parameter state.
    public var optimizerStep: Int
    /// Per-parameter optimizer state (model parameter order).
    public var optimizerState: [[Float]]
    /// Best validation NDCG@10 so far, and evaluations since it.
    public var best: Double, sinceBest: Int
    /// The best weights so far (model parameter order), if any.
    public var bestWeights: [Tensor]?
    /// The reports so far.
    public var reports: [NextItemEpoch]
}

/// One epoch of next-item training.
public struct NextItemEpoch: Sendable, Codable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Mean training loss per position.
    public var loss: Double
    /// Training positions (non-padding targets) per second.
    public var positionsPerSecond: Double
    /// Seconds of training in the epoch (evaluation excluded); nil in snapshots written before it was recorded.
    public var seconds: Double?
    /// Validation NDCG@10 when evaluated this epoch.
    public var validationNDCG: Double?
    /// Validation NDCG@10 of the users at even and at odd places, when
    /// evaluated: a way to judge checkpoint selection on users it did not see
    /// (pick on one half, measure on the other); nil in older snapshots.
    public var validationNDCGHalves: [Double]?
}

/// Trains next-item models (full softmax by default) and evaluates them over the full catalogue.
public enum NextItemTrainer {
    /// Trains `model`; calls `checkpoint` whenever validation improves and
    /// `snapshot` after every epoch (for resuming); ends with the best weights.
    /// Each epoch's user order and dropout draw from streams derived from
    /// (seed, epoch), so a run resumed from a snapshot (`resume`) ends exactly
    /// where the uninterrupted run would. With a `profile`, every training
    /// step's ops, batch assembly and optimizer step are timed into it.
    @discardableResult
    public static func train(_ model: NextItemModel, data: NextItemData, config: NextItemTrainingConfig,
                             resume: NextItemTrainingState? = nil, profile: OpProfile? = nil,
                             progress: ((NextItemEpoch) -> Void)? = nil,
                             checkpoint: ((NextItemModel, NextItemEpoch) throws -> Void)? = nil,
                             snapshot: ((NextItemTrainingState) throws -> Void)? = nil) throws -> [NextItemEpoch] {
        let learningRate = config.learningRate ?? NextItemRunConfig.recommendedLearningRate(encoder: model.config.encoder, start: .random)
        let optimizer = Optimizer.adam(model.parameters, learningRate: learningRate)
        let popularity: ItemPopularity? = if case .popularitySampled = config.loss {
            ItemPopularity(rows: data.rows, sequences: data.trainingUsers.map { data.split.train[$0].map { $0 + 1 } })
        } else { nil }
        var reports: [NextItemEpoch] = resume?.reports ?? []
        var stopping = EarlyStopping(patience: config.patience, selection: config.selection ?? NextItemTrainingConfig.defaultSelection,
                                     best: resume?.best ?? -1, sinceBest: resume?.sinceBest ?? 0, weights: resume?.bestWeights,
                                     recent: reports.compactMap(\.validationNDCG))
        if let resume { optimizer.importState(step: resume.optimizerStep, state: resume.optimizerState) }
        let first = (resume?.epoch ?? 0) + 1
        for epoch in first..<(max(first, config.epochs + 1)) {
            if config.frozenEpochs > 0 {
                if epoch <= config.frozenEpochs { model.freeze("items") } else { model.unfreeze("items") }
                if epoch == config.frozenEpochs + 1 { stopping.restartPatience() }
            }
            if stopping.shouldStop { break }
            var rng = SeededGenerator(seed: config.seed &+ UInt64(epoch) &* 0x2545_F491_4F6C_DD1D)
            var users = data.trainingUsers
            IndexSplit.shuffle(&users, &rng)
            model.reseedDropout(rng.next())
            model.setTraining(true)
            let start = DispatchTime.now().uptimeNanoseconds
            var total = 0.0, positions = 0
            for from in stride(from: 0, to: users.count, by: config.batchSize) {
                let (histories, rows, scoredTargets) = OpProfile.measure(profile, "batch assembly") {
                    let windows = users[from..<min(from + config.batchSize, users.count)].map { user in
                        data.trainingWindow(user: user, end: config.windows == .last ? nil : randomWindowEnd(data, user: user, &rng))
                    }
                    let targets = windows.flatMap(\.targets)
                    // Only positions with a target are scored: padding rows would cost a full catalogue row each for nothing.
                    let scored = targets.indices.filter { targets[$0] >= 0 }
                    return (windows.map(\.input), scored.map { Int32($0) }, scored.map { targets[$0] })
                }
                let tape = Tape(profile: profile)
                let all = model.hiddenStates(histories, on: tape)
                let loss = model.repeatHead.map { $0.loss(model, hidden: all, histories: histories, positions: rows, targets: scoredTargets) }
                    ?? config.loss(model, hidden: tape.gather(all, rows), targets: scoredTargets, rng: &rng, popularity: popularity)
                total += Double(loss.value.scalar) * Double(rows.count); positions += rows.count
                OpProfile.measure(profile, "zero gradients") { optimizer.zeroGradients() }
                try tape.backward(loss)
                OpProfile.measure(profile, "optimizer step") { optimizer.step() }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var report = NextItemEpoch(epoch: epoch, loss: total / Double(max(positions, 1)),
                                       positionsPerSecond: Double(positions) / seconds, seconds: seconds, validationNDCG: nil)
            if epoch % config.evaluateEvery == 0 || epoch == config.epochs {
                let validation = evaluate(model, data: data, target: .validation, keepSeen: config.keepSeen).report
                report.validationNDCG = validation.ndcg
                report.validationNDCGHalves = [0, 1].map { half in
                    RankingReport(ranks: validation.ranks.enumerated().filter { $0.offset % 2 == half }.map(\.element), k: validation.k).ndcg
                }
                if stopping.record(validation.ndcg, parameters: model.parameters) { try checkpoint?(model, report) }
            }
            reports.append(report)
            progress?(report)
            let (step, state) = optimizer.exportState()
            try snapshot?(NextItemTrainingState(epoch: epoch, optimizerStep: step, optimizerState: state, best: stopping.best,
                                                sinceBest: stopping.sinceBest, bestWeights: stopping.weights, reports: reports))
        }
        stopping.restore(model.parameters)
        return reports
    }

    /// A window end for `user` drawn uniformly from the earliest full-length
    /// window's end (or the shortest history's end) to the last item.
    public static func randomWindowEnd(_ data: NextItemData, user: Int, _ rng: inout SeededGenerator) -> Int {
        let count = data.split.train[user].count, earliest = min(count, data.maxLength + 1)
        return earliest + rng.nextInt(below: count - earliest + 1)
    }

    /// Scores for the last position of each history, `[histories, rows]`, in
    /// evaluation mode (a repeat-aware model's are log-probabilities of its mixture).
    public static func lastPositionScores(_ model: NextItemModel, histories: [[Int32]]) -> Tensor {
        model.setTraining(false)
        defer { model.setTraining(true) }
        let tape = Tape()
        let t = histories.first?.count ?? 0
        let hidden = model.hiddenStates(histories, on: tape)
        let last = tape.gather(hidden, (0..<histories.count).map { Int32($0 * t + t - 1) })
        let scores = model.scores(last).value
        return model.repeatHead?.lastPositionLogProbabilities(model, hidden: hidden, histories: histories, scores: scores) ?? scores
    }

    /// HR@K, NDCG@K, MRR over the full catalogue (seen training items
    /// excluded unless `keepSeen`), and the share of the catalogue that
    /// appears in any user's top K (coverage).
    public static func evaluate(_ model: NextItemModel, data: NextItemData, target: FullRankingEvaluation.Target, k: Int = 10,
                                keepSeen: Bool = false) -> (report: RankingReport, coverage: Double) {
        // A block of users per forward pass; the model scores the padding row 0 too, which the ranking leaves out.
        let (report, recommended) = FullRankingEvaluation.evaluateBlocks(split: data.split, target: target, k: k, excludeSeen: !keepSeen,
                                                                          collectTopK: true,
                                                                          blockSize: FullRankingEvaluation.blockSize(items: data.rows)) { users, out in
            let block = lastPositionScores(model, histories: users.map { data.history(user: $0, for: target) })
            let n = data.rows - 1
            block.withUnsafeBufferPointer { b in
                for r in users.indices { (out + r * n).update(from: b.baseAddress! + r * data.rows + 1, count: n) }
            }
        }
        return (report, Double(recommended.count) / Double(max(data.rows - 1, 1)))
    }
}

/// Baselines on the same split and protocol.
public enum NextItemBaselines {
    /// Items ranked by training popularity.
    public static func popularity(_ split: LeaveLastOutSplit, target: FullRankingEvaluation.Target = .test, k: Int = 10,
                                  keepSeen: Bool = false) -> RankingReport {
        var counts = [Float](repeating: 0, count: split.itemCount)
        for seq in split.train { for i in seq { counts[Int(i)] += 1 } }
        return FullRankingEvaluation.evaluate(split: split, target: target, k: k, excludeSeen: !keepSeen) { _, _, scores in
            for i in 0..<scores.count { scores[i] = counts[i] }
            return true
        }
    }

    /// Repeat consumption: the user's own most frequent items first (ties by
    /// popularity); seen items stay in the ranking.
    public static func mostFrequentRepeat(_ split: LeaveLastOutSplit, target: FullRankingEvaluation.Target = .test, k: Int = 10) -> RankingReport {
        var counts = [Float](repeating: 0, count: split.itemCount)
        for seq in split.train { for i in seq { counts[Int(i)] += 1 } }
        let maximum = (counts.max() ?? 0) + 1
        return FullRankingEvaluation.evaluate(split: split, target: target, k: k, excludeSeen: false) { _, history, scores in
            for i in 0..<scores.count { scores[i] = counts[i] / maximum }
            for i in history { scores[Int(i)] += 1 }
            return true
        }
    }
}
