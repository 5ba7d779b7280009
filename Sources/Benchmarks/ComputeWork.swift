import Autograd
import Downstream

/// The floating-point work of the next-item models and the machine's
/// measured matrix-product rate, so that a workload's positions per second
/// also read as GFLOP/s and as a share of what the machine can do.
public enum ComputeWork {
    /// FLOPs per scored position, forward and backward (a multiply-add is 2;
    /// a product's backward pass is two products): the tied output layer
    /// 6·D·N, a GRU 36·D² (input and hidden products of three gates), a
    /// SASRec block 36·D² (QKV, output projection, feed-forward) plus 12·T·D
    /// (scores and the weighted values over T positions), two blocks.
    /// Element-wise work (softmax, norms, gates) is not counted.
    public static func nextItemFLOPsPerPosition(encoder: SequenceEncoderKind, dimension: Int, rows: Int, maxLength: Int) -> Double {
        let d = Double(dimension)
        let encoderWork = switch encoder {
        case .gru: 36 * d * d
        case .sasrec: 2 * (36 * d * d + 12 * Double(maxLength) * d)
        }
        return 6 * d * Double(rows) + encoderWork
    }

    /// `sgemm` GFLOP/s on 1024 x 256 x 256 at the thread count set
    /// (`MathThreads`), split across the workers as the tape's products are
    /// (median of trials): the rate the workloads are measured against.
    public static func measuredSgemmRate(quick: Bool) -> Double {
        let (m, k, n) = (1024, 256, 256)
        var rng = SeededGenerator(seed: 1)
        let a = Tensor.normal(shape: [m, k], using: &rng), b = Tensor.normal(shape: [n, k], using: &rng)
        let c = Tensor(zeros: [m, n])
        let seconds = medianSecondsPerCall(trials: quick ? 3 : 7, repetitions: quick ? 3 : 20) {
            productWithTransposed(a.storage.pointer, rows: m, b.storage.pointer, rows: n, width: k, into: c.storage.pointer)
        }
        return 2 * Double(m * k * n) / seconds / 1e9
    }

    /// Each op's (forward, and "NAME backward") and phase's share of
    /// `trainingSeconds` in `profile`, and the share no op or phase was
    /// charged with ("unattributed").
    public static func shares(_ profile: OpProfile, trainingSeconds: Double) -> [String: Double] {
        guard trainingSeconds > 0 else { return [:] }
        var shares: [String: Double] = [:]
        for entry in profile.ranked {
            shares[entry.name] = entry.forward / trainingSeconds
            if entry.backward > 0 { shares[entry.name + " backward"] = entry.backward / trainingSeconds }
        }
        shares["unattributed"] = max(0, 1 - profile.totalSeconds / trainingSeconds)
        return shares
    }
}
