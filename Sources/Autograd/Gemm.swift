import CBLAS
import Foundation

/// `c = alpha * op(a) * op(b) + beta * c` on row-major matrices through OpenBLAS.
/// `op(a)` is `m` x `k`, `op(b)` is `k` x `n`; `lda`/`ldb` are the stored row widths.
@inline(__always)
func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
          beta: Float, c: UnsafeMutablePointer<Float>) {
    MathThreads.prepare()
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
}

/// `c = a · bᵀ` with no tape, for row-major `a` (`m` x `k`), `b` (`n` x `k`)
/// and `c` (`m` x `n`): a block of query rows scored against every row of a
/// table in one product (full-catalogue ranking).
public func productWithTransposed(_ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, rows n: Int, width k: Int,
                                  into c: UnsafeMutablePointer<Float>) {
    gemm(transposeA: false, transposeB: true, m: m, n: n, k: k, a: a, b: b, beta: 0, c: c)
}

/// Process-wide settings of the math libraries.
public enum MathThreads {
    /// Sets the number of OpenBLAS threads, which is also the number of
    /// chunks the tape's row-wise kernels (cross-entropy, layer norm, masked
    /// softmax, dropout) split large inputs into. Warmstart defaults to 1:
    /// OpenBLAS worker threads spin, and beside other worker threads (the
    /// skip-gram trainer's) they collapse throughput. Use 2 for tape training
    /// with nothing else running.
    public static func setBLASThreads(_ count: Int) {
        prepare()
        openblas_set_num_threads(Int32(count))
    }

    /// The number of OpenBLAS threads in use.
    public static var blasThreads: Int {
        prepare()
        return Int(openblas_get_num_threads())
    }

    /// The OpenBLAS kernel in use (after the library's choice).
    public static var blasKernel: String {
        prepare()
        return BLASKernel.current
    }

    /// Runs the one-time set-up now (every product and thread setting does it first).
    @inline(__always)
    public static func prepare() { _ = setUp }

    /// The one-time set-up, run on first use: a usable kernel where OpenBLAS
    /// fell back to its slowest one (`BLASKernel.fallbackOverride`), and one
    /// thread (OpenBLAS's default is every core, whose spinning workers
    /// collapse throughput beside other worker threads).
    private static let setUp: Void = {
        if let kernel = BLASKernel.fallbackOverride(environment: ProcessInfo.processInfo.environment,
                                                    currentKernel: BLASKernel.current, cpuFlags: BLASKernel.cpuFlags()) {
            BLASKernel.select(kernel)
        }
        openblas_set_num_threads(1)
    }()
}
