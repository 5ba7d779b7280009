import Autograd
import Datasets
import Dispatch
import Optimizers

/// Trains matrix factorization on implicit feedback with Bayesian
/// personalised ranking: each observed (user, item) is pushed above an item
/// drawn uniformly from those the user has not seen.
public enum ImplicitTrainer {
    /// Trains on each user's training items; returns the mean loss per epoch.
    @discardableResult
    public static func train(_ model: MatrixFactorization, positives: [[Int32]], itemCount: Int, config: RatingTrainingConfig,
                             regularizer: Regularizer, progress: ((RatingEpochReport) -> Void)? = nil) throws -> [RatingEpochReport] {
        let optimizer = Optimizer.adam(model.parameters, learningRate: config.learningRate)
        var rng = SeededGenerator(seed: config.seed)
        var pairs: [(Int32, Int32)] = []
        for (u, items) in positives.enumerated() { for i in items { pairs.append((Int32(u), i)) } }
        let seen = positives.map(Set.init)
        var order = Array(0..<pairs.count)
        var reports: [RatingEpochReport] = []
        for epoch in 1...config.epochs {
            IndexSplit.shuffle(&order, &rng)
            let start = DispatchTime.now().uptimeNanoseconds
            var total = 0.0, batches = 0
            for from in stride(from: 0, to: pairs.count, by: config.batchSize) {
                let batch = order[from..<min(from + config.batchSize, pairs.count)]
                let users = batch.map { pairs[$0].0 }, items = batch.map { pairs[$0].1 }
                let negatives: [Int32] = users.map { u in
                    while true {
                        let j = Int32(rng.nextInt(below: itemCount))
                        if !seen[Int(u)].contains(j) { return j }
                    }
                }
                let tape = Tape()
                let positive = model.score(users: users, items: items, on: tape)
                let negative = model.score(users: users, items: negatives, on: tape)
                let loss = tape.bprLoss(positive: positive.scores, negative: negative.scores)
                    + regularizer(tape, positive.rows + [negative.rows[1], negative.rows[3]])
                total += Double(loss.value.scalar); batches += 1
                optimizer.zeroGradients()
                try tape.backward(loss)
                optimizer.step()
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let report = RatingEpochReport(epoch: epoch, loss: total / Double(max(batches, 1)), validationRMSE: nil,
                                           examplesPerSecond: Double(pairs.count) / seconds, seconds: seconds)
            reports.append(report)
            progress?(report)
        }
        return reports
    }
}
