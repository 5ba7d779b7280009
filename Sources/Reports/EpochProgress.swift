import Downstream
import Foundation
import Pretraining

/// One progress line per finished epoch, for each trainer's epoch record,
/// so every command and a user's own code report training the same way.
extension ProgressReporter {
    /// A skip-gram epoch: loss and corpus tokens per second.
    public func epoch(_ record: EpochReport) {
        epoch(record.epoch, loss: record.loss, amount: record.tokens, seconds: record.seconds)
    }

    /// A rating or BPR epoch: loss, examples per second and validation RMSE when measured.
    public func epoch(_ record: RatingEpochReport) {
        epoch(record.epoch, loss: record.loss, amount: Int(record.examplesPerSecond), seconds: 1,
              extra: record.validationRMSE.map { String(format: "validation RMSE %.4f", $0) } ?? "")
    }

    /// A next-item epoch: loss, positions per second and validation NDCG@10 when evaluated.
    public func epoch(_ record: NextItemEpoch) {
        epoch(record.epoch, loss: record.loss, amount: Int(record.positionsPerSecond), seconds: 1,
              extra: record.validationNDCG.map { String(format: "validation NDCG@10 %.4f", $0) } ?? "")
    }

    /// A classifier epoch: loss, examples per second and the validation figure when computed.
    public func epoch(_ record: ClassifierEpochReport) {
        epoch(record.epoch, loss: record.loss, amount: Int(record.examplesPerSecond), seconds: 1,
              extra: record.validation.map { String(format: "validation %.4f", $0) } ?? "")
    }
}
