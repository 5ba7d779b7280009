import Autograd
import Datasets
import Dispatch
import Optimizers

/// Labelled bags for training or evaluation.
public struct ClassificationExamples: Sendable {
    /// The bags of ids.
    public var bags: [[Int32]]
    /// A weight per id, if any (a rating, a count).
    public var weights: [[Float]]?
    /// Targets: one row of `outputs` 0/1 values per example.
    public var targets: [[Float]]

    /// Examples.
    public init(bags: [[Int32]], weights: [[Float]]? = nil, targets: [[Float]]) {
        self.bags = bags
        self.weights = weights
        self.targets = targets
    }

    /// Number of examples.
    public var count: Int { bags.count }

    /// The examples at `indices`.
    public func subset(_ indices: [Int]) -> ClassificationExamples {
        ClassificationExamples(bags: indices.map { bags[$0] }, weights: weights.map { w in indices.map { w[$0] } },
                               targets: indices.map { targets[$0] })
    }

    /// The flat bags of `indices` (all when nil).
    public func flatBags(_ indices: [Int]? = nil) -> Bags {
        let idx = indices ?? Array(0..<count)
        return Bags(idx.map { bags[$0] }, weights: weights.map { w in idx.map { w[$0] } })
    }
}

/// Settings of a classifier run (defaults: BENCHMARKS.md W4).
public struct ClassifierTrainingConfig: Sendable, Codable, Equatable {
    /// Passes over the data.
    public var epochs = 10
    /// Examples per step.
    public var batchSize = 64
    /// Adam's learning rate.
    public var learningRate: Float = 0.001
    /// Seed of the batch order.
    public var seed: UInt64 = 0
    /// Train at least this many optimizer steps (more epochs for small label fractions).
    public var minimumSteps = 0
    /// Stop after this many epochs without a better validation figure, keeping the best weights (nil: never).
    public var patience: Int?
    /// Optimizer steps with the embedding table frozen before it trains too (gradual unfreezing); no early stop before then.
    public var frozenSteps = 0

    /// Defaults.
    public init() {}

    /// Epochs to run for `examples`: `epochs`, or more to reach `minimumSteps`.
    public func epochBudget(examples: Int) -> Int {
        let perEpoch = max(1, (examples + batchSize - 1) / batchSize)
        return max(epochs, (minimumSteps + perEpoch - 1) / perEpoch)
    }
}

/// One epoch of classifier training.
public struct ClassifierEpochReport: Sendable, Codable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Mean training loss.
    public var loss: Double
    /// Examples per second.
    public var examplesPerSecond: Double
    /// Seconds of training in the epoch (validation excluded).
    public var seconds: Double
    /// A validation figure (the caller's choice), if computed.
    public var validation: Double?
}

/// Trains a classifier with Adam; pretrained rows follow their row
/// learning-rate scales (frozen, slow or full).
public enum ClassifierTrainer {
    /// Trains `model` on `examples`; `validate` (if given) computes a figure after each epoch.
    @discardableResult
    public static func train(_ model: Classifier, examples: ClassificationExamples, config: ClassifierTrainingConfig,
                             validate: ((Classifier) -> Double)? = nil,
                             progress: ((ClassifierEpochReport) -> Void)? = nil) throws -> [ClassifierEpochReport] {
        let optimizer = Optimizer.adam(model.parameters, learningRate: config.learningRate)
        var rng = SeededGenerator(seed: config.seed)
        var order = Array(0..<examples.count)
        var reports: [ClassifierEpochReport] = []
        var stopping = EarlyStopping(patience: config.patience, best: -.infinity)
        model.setTraining(true)
        var steps = 0
        if config.frozenSteps > 0 { model.freeze("embedding") }
        for epoch in 1...config.epochBudget(examples: examples.count) {
            IndexSplit.shuffle(&order, &rng)
            let start = DispatchTime.now().uptimeNanoseconds
            var total = 0.0, batches = 0
            for from in stride(from: 0, to: examples.count, by: config.batchSize) {
                let batch = Array(order[from..<min(from + config.batchSize, examples.count)])
                let tape = Tape()
                let logits = model.logits(examples.flatBags(batch), on: tape)
                let loss = lossFunction(model.config.head, logits: logits, targets: batch.map { examples.targets[$0] }, on: tape)
                total += Double(loss.value.scalar); batches += 1
                optimizer.zeroGradients()
                try tape.backward(loss)
                optimizer.step()
                steps += 1
                if steps == config.frozenSteps {
                    model.unfreeze("embedding")
                    stopping.restartPatience()
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let report = ClassifierEpochReport(epoch: epoch, loss: total / Double(max(batches, 1)),
                                               examplesPerSecond: Double(examples.count) / seconds, seconds: seconds,
                                               validation: validate?(model))
            reports.append(report)
            progress?(report)
            if config.patience != nil, let figure = report.validation {
                stopping.record(figure, parameters: model.parameters)
                if stopping.shouldStop, steps >= config.frozenSteps { break }
            }
        }
        stopping.restore(model.parameters)
        return reports
    }

    static func lossFunction(_ head: ClassifierHead, logits: Variable, targets: [[Float]], on tape: Tape) -> Variable {
        tape.binaryCrossEntropyWithLogits(logits, targets: Tensor(shape: logits.shape, scalars: targets.flatMap { $0 }))
    }
}
