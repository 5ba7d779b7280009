import Autograd
import Datasets
import Dispatch
import Layers
import Optimizers

/// A model that scores (user, item) pairs on the tape.
public protocol PairScorer: Module {
    /// Scores and the rows the batch touched.
    func score(users: [Int32], items: [Int32], on tape: Tape) -> (scores: Variable, rows: [Variable])
}

extension MatrixFactorization: PairScorer {}
extension FeedForwardRecommender: PairScorer {}

/// (user, item, rating) triples.
public struct RatingTriples: Sendable {
    /// Users.
    public var users: [Int32]
    /// Items.
    public var items: [Int32]
    /// Ratings.
    public var ratings: [Float]

    /// Triples.
    public init(users: [Int32], items: [Int32], ratings: [Float]) {
        self.users = users
        self.items = items
        self.ratings = ratings
    }

    /// Number of triples.
    public var count: Int { ratings.count }

    /// The triples at `indices`.
    public func subset(_ indices: [Int]) -> RatingTriples {
        RatingTriples(users: indices.map { users[$0] }, items: indices.map { items[$0] }, ratings: indices.map { ratings[$0] })
    }

    /// Mean rating.
    public var mean: Float { ratings.reduce(0, +) / Float(max(ratings.count, 1)) }
}

/// Settings of a rating-prediction run (defaults: BENCHMARKS.md W1).
public struct RatingTrainingConfig: Sendable {
    /// Examples per step.
    public var batchSize = 1024
    /// Passes over the data.
    public var epochs = 20
    /// Adam's learning rate.
    public var learningRate: Float = 0.01
    /// Stop when validation RMSE has not improved for this many epochs (nil: never).
    public var patience: Int?
    /// Seed of the batch order.
    public var seed: UInt64 = 0
    /// Lower the learning rate linearly to 0 over the run.
    public var linearDecay = false
    /// Decoupled weight decay (AdamW) on every parameter; 0 = plain Adam.
    public var decoupledWeightDecay: Float = 0
    /// The update rule.
    public var optimizer = RatingUpdateRule.adam

    /// Defaults.
    public init() {}
}

/// How rating training updates its parameters (touched rows only for the tables).
public enum RatingUpdateRule: String, Sendable, Codable, CaseIterable {
    /// Adam (W1), or AdamW when `decoupledWeightDecay` is set.
    case adam
    /// Adagrad.
    case adagrad
    /// Plain stochastic gradient descent.
    case sgd
}

/// What one epoch of rating training did.
public struct RatingEpochReport: Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Mean training loss (error + penalty) over batches.
    public var loss: Double
    /// RMSE on the validation triples, if any.
    public var validationRMSE: Double?
    /// Examples per second.
    public var examplesPerSecond: Double
    /// Seconds of training in the epoch (validation excluded).
    public var seconds: Double
}

/// Trains a `PairScorer` on explicit ratings with Adam: loss = batch-mean
/// squared error + the regularizer over the touched rows.
public enum RatingTrainer {
    /// Trains and returns the per-epoch reports; with `validation` and a
    /// patience, stops early and restores nothing (the last epoch is kept).
    @discardableResult
    public static func train(_ model: some PairScorer, data: RatingTriples, validation: RatingTriples? = nil,
                             config: RatingTrainingConfig, regularizer: Regularizer,
                             progress: ((RatingEpochReport) -> Void)? = nil) throws -> [RatingEpochReport] {
        let steps = config.epochs * ((data.count + config.batchSize - 1) / config.batchSize)
        let rule: any UpdateRule = switch config.optimizer {
        case .adagrad: AdagradRule()
        case .sgd: SGDRule()
        case .adam: AdamRule(decoupledWeightDecay: config.decoupledWeightDecay > 0)
        }
        let optimizer = Optimizer(rule: rule,
                                  groups: [ParameterGroup(model.parameters, learningRate: config.learningRate,
                                                          weightDecay: config.decoupledWeightDecay)],
                                  schedule: config.linearDecay ? LinearSchedule(totalSteps: steps, finalFactor: 0) as any LearningRateSchedule
                                                               : ConstantSchedule())
        var rng = SeededGenerator(seed: config.seed)
        var order = Array(0..<data.count)
        var reports: [RatingEpochReport] = []
        var best = Double.infinity, sinceBest = 0
        for epoch in 1...config.epochs {
            IndexSplit.shuffle(&order, &rng)
            let start = DispatchTime.now().uptimeNanoseconds
            var total = 0.0, batches = 0
            for from in stride(from: 0, to: data.count, by: config.batchSize) {
                let batch = Array(order[from..<min(from + config.batchSize, data.count)])
                let tape = Tape()
                let (scores, rows) = model.score(users: batch.map { data.users[$0] }, items: batch.map { data.items[$0] }, on: tape)
                let target = tape.constant(Tensor(shape: [batch.count], scalars: batch.map { data.ratings[$0] }))
                let loss = tape.meanSquaredError(scores, target) + regularizer(tape, rows)
                total += Double(loss.value.scalar); batches += 1
                optimizer.zeroGradients()
                try tape.backward(loss)
                optimizer.step()
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rmse = validation.map { rootMeanSquaredError(model, $0) }
            let report = RatingEpochReport(epoch: epoch, loss: total / Double(max(batches, 1)), validationRMSE: rmse,
                                           examplesPerSecond: Double(data.count) / seconds, seconds: seconds)
            reports.append(report)
            progress?(report)
            if let rmse, let patience = config.patience {
                if rmse < best - 1e-5 { best = rmse; sinceBest = 0 } else { sinceBest += 1 }
                if sinceBest >= patience { break }
            }
        }
        return reports
    }

    /// RMSE of the model's scores on `data`, on the rating scale as given (no clipping).
    public static func rootMeanSquaredError(_ model: some PairScorer, _ data: RatingTriples, batchSize: Int = 8192) -> Double {
        var sum = 0.0
        for from in stride(from: 0, to: data.count, by: batchSize) {
            let range = from..<min(from + batchSize, data.count)
            let tape = Tape()
            let scores = model.score(users: Array(data.users[range]), items: Array(data.items[range]), on: tape).scores.value
            for (k, i) in range.enumerated() { let e = Double(scores[flat: k] - data.ratings[i]); sum += e * e }
        }
        return (sum / Double(max(data.count, 1))).squareRoot()
    }
}
