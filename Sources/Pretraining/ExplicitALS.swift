import Archive
import Autograd
import Dispatch

/// Explicit-ratings alternating least squares with weighted-λ
/// regularization (Zhou et al. 2008, as Spark's ALS): each user row
/// solves (Σ_i y_i y_iᵀ + λ n_u I) x_u = Σ_i (r_ui − μ) y_i over the items
/// it rated (n_u of them), then each item row the same over its users; the
/// prediction is μ + x_u · y_i. The λ n_u term is an L2 penalty weighted by
/// how many ratings a row has: the same change the autograd MF makes with
/// one `Regularizer` closure needs these normal equations here.
public final class ExplicitALS {
    /// λ chosen on W1's validation tenth over {0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2} (64 factors).
    public static let defaultRegularization: Float = 0.12
    /// Factors per row.
    public let factors: Int
    /// λ of the weighted-λ penalty.
    public let regularization: Float
    /// The training mean μ.
    public let globalMean: Float
    /// User factors `[users, factors]`.
    public private(set) var users: Tensor
    /// Item factors `[items, factors]`.
    public private(set) var items: Tensor

    /// Factors drawn from N(0, 0.1²) with `seed`.
    public init(userCount: Int, itemCount: Int, factors: Int, regularization: Float, globalMean: Float, seed: UInt64) {
        self.factors = factors
        self.regularization = regularization
        self.globalMean = globalMean
        var rng = SeededGenerator(seed: seed)
        users = .normal(shape: [userCount, factors], std: 0.1, using: &rng)
        items = .normal(shape: [itemCount, factors], std: 0.1, using: &rng)
    }

    /// `iterations` sweeps over the (user, item, rating) triples.
    public func fit(users u: [Int32], items i: [Int32], ratings r: [Float], iterations: Int, threads: Int = 2) {
        var byUser = [[(Int32, Float)]](repeating: [], count: users.shape[0]), byItem = [[(Int32, Float)]](repeating: [], count: items.shape[0])
        for k in r.indices {
            byUser[Int(u[k])].append((i[k], r[k] - globalMean))
            byItem[Int(i[k])].append((u[k], r[k] - globalMean))
        }
        for _ in 0..<iterations {
            solve(&users, given: items, lists: byUser, threads: threads)
            solve(&items, given: users, lists: byItem, threads: threads)
        }
    }

    /// μ + x_u · y_i for each pair.
    public func predict(users u: [Int32], items i: [Int32]) -> [Float] {
        zip(u, i).map { pair in globalMean + (0..<factors).map { users[Int(pair.0), $0] * items[Int(pair.1), $0] }.reduce(0, +) }
    }

    /// Every row of `target` from its rated columns in `lists` (a row with none keeps zeros).
    private func solve(_ target: inout Tensor, given other: Tensor, lists: [[(Int32, Float)]], threads: Int) {
        let f = factors, rows = target.shape[0], lambda = Double(regularization), chunks = max(1, min(threads, rows))
        target.withUnsafeMutableBufferPointer { x in
            other.withUnsafeBufferPointer { y in
                let xs = LockFreeShare(pointer: x.baseAddress!), ys = LockFreeShare(pointer: UnsafeMutablePointer(mutating: y.baseAddress!))
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for row in (rows * chunk / chunks)..<(rows * (chunk + 1) / chunks) {
                        let rated = lists[row]
                        var a = [Double](repeating: 0, count: f * f), b = [Double](repeating: 0, count: f)
                        for j in 0..<f { a[j * f + j] = lambda * Double(max(rated.count, 1)) }
                        for (column, value) in rated {
                            let v = ys.pointer + Int(column) * f
                            for j in 0..<f {
                                b[j] += Double(value * v[j])
                                for k in 0...j { a[j * f + k] += Double(v[j] * v[k]) }
                            }
                        }
                        let solution = Cholesky.solve(lowerOf: &a, b, n: f)
                        for j in 0..<f { xs.pointer[row * f + j] = Float(solution[j]) }
                    }
                }
            }
        }
    }
}

/// Solves a symmetric positive-definite system by Cholesky (Float64).
enum Cholesky {
    /// Solves A x = b where `a` holds A's lower triangle (row-major, n x n); `a` is overwritten by L.
    static func solve(lowerOf a: inout [Double], _ b: [Double], n: Int) -> [Double] {
        for j in 0..<n {
            var s = a[j * n + j]
            for k in 0..<j { s -= a[j * n + k] * a[j * n + k] }
            let d = max(s, 1e-12).squareRoot()
            a[j * n + j] = d
            for i in (j + 1)..<max(n, j + 1) {
                var t = a[i * n + j]
                for k in 0..<j { t -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = t / d
            }
        }
        var z = b
        for i in 0..<n {
            for k in 0..<i { z[i] -= a[i * n + k] * z[k] }
            z[i] /= a[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(n, i + 1) { z[i] -= a[k * n + i] * z[k] }
            z[i] /= a[i * n + i]
        }
        return z
    }
}
