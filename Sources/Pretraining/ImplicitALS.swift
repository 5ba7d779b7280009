import Archive
import Autograd
import Dispatch

/// Settings of implicit-feedback alternating least squares (BENCHMARKS.md W8).
public struct ALSConfig: Sendable, Codable, Equatable {
    /// Factors per user and item.
    public var factors = 64
    /// Sweeps (users given items, then items given users).
    public var iterations = 15
    /// Confidence of an observed pair: 1 + alpha (Hu, Koren, Volinsky 2008).
    /// `implicit`'s alpha is the whole confidence: its alpha equals 1 + this one. Default 4: the best
    /// validation HR@10 (W8) over alpha {0, 1, 4, 9, 19, 39} x λ {0.01, 0.1, 1, 10}.
    public var alpha: Float = 4
    /// L2 weight λ on every factor row.
    public var regularization: Float = 0.01
    /// Conjugate-gradient steps per row, warm-started from the row's last
    /// value (Takács, Pilászy, Tikk 2011); 0 solves each row exactly (Cholesky).
    public var cgSteps = 3
    /// Rows solved in parallel.
    public var threads = 2
    /// Seed of the starting factors (uniform in [0, 0.01), as `implicit`'s).
    public var seed: UInt64 = 0

    /// Defaults: W8 (64 factors, 15 iterations, 3 CG steps, 2 threads).
    public init() {}

    /// Every setting, as archive hyperparameters.
    public var hyperparameters: [String: JSONValue] {
        (try? JSONValue(encoding: self))?.members ?? [:]
    }
}

/// Implicit-feedback matrix factorization by alternating least squares:
/// each observed (user, item) pair is a preference 1 with confidence
/// 1 + alpha, every other pair a preference 0 with confidence 1. Each
/// half-sweep solves every user (or item) row's weighted ridge regression
/// given the other side, with YᵀY computed once (the Gram-matrix trick).
public final class ImplicitALS {
    /// The settings.
    public let config: ALSConfig
    /// User factors `[users, factors]`.
    public private(set) var users: Tensor
    /// Item factors `[items, factors]`.
    public private(set) var items: Tensor

    /// Factors drawn uniformly from [0, 0.01) with `config.seed`.
    public init(userCount: Int, itemCount: Int, config: ALSConfig) {
        self.config = config
        var rng = SeededGenerator(seed: config.seed)
        func draw(_ rows: Int) -> Tensor {
            Tensor(shape: [rows, config.factors], scalars: (0..<(rows * config.factors)).map { _ in 0.01 * rng.nextUnitFloat() })
        }
        users = draw(userCount)
        items = draw(itemCount)
    }

    /// Runs `config.iterations` sweeps over `positives` (each user's items);
    /// `progress` hears each sweep's number and seconds.
    public func fit(_ positives: [[Int32]], progress: ((Int, Double) -> Void)? = nil) {
        var byItem = [[Int32]](repeating: [], count: items.shape[0])
        for (u, list) in positives.enumerated() { for i in list { byItem[Int(i)].append(Int32(u)) } }
        for sweep in 1...max(config.iterations, 1) where config.iterations > 0 {
            let start = DispatchTime.now().uptimeNanoseconds
            solve(&users, given: items, lists: positives)
            solve(&items, given: users, lists: byItem)
            progress?(sweep, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    /// Solves every row of `target` given `other`: row r's observed columns are `lists[r]`.
    func solve(_ target: inout Tensor, given other: Tensor, lists: [[Int32]]) {
        let f = config.factors, rows = target.shape[0]
        let tape = Tape(), y = tape.constant(other)
        var gram = tape.matmul(y, y, transposeA: true).value
        gram.withUnsafeMutableBufferPointer { g in for j in 0..<f { g[j * f + j] += config.regularization } }
        let threads = max(1, min(config.threads, rows))
        let alpha = config.alpha, confidence = 1 + config.alpha, steps = config.cgSteps
        target.withUnsafeMutableBufferPointer { x in
            other.withUnsafeBufferPointer { y in
                gram.withUnsafeBufferPointer { g in
                    // Each thread writes only its own rows of the target; the other side and the Gram matrix are read-only.
                    let xs = LockFreeShare(pointer: x.baseAddress!)
                    let ys = LockFreeShare(pointer: UnsafeMutablePointer(mutating: y.baseAddress!))
                    let gs = LockFreeShare(pointer: UnsafeMutablePointer(mutating: g.baseAddress!))
                    DispatchQueue.concurrentPerform(iterations: threads) { chunk in
                        let from = rows * chunk / threads, to = rows * (chunk + 1) / threads
                        let solver = RowSolver(factors: f, gram: gs.pointer, other: ys.pointer, alpha: alpha, confidence: confidence)
                        for row in from..<to {
                            if steps > 0 {
                                solver.conjugateGradient(xs.pointer + row * f, observed: lists[row], steps: steps)
                            } else {
                                solver.exact(xs.pointer + row * f, observed: lists[row])
                            }
                        }
                    }
                }
            }
        }
    }
}
