import CBLAS
import Foundation

/// `c = alpha * op(a) * op(b) + beta * c` on row-major matrices through
/// OpenBLAS (single-threaded). `op(a)` is `m` x `k`, `op(b)` is `k` x `n`.
/// With several workers (`MathThreads`) a large product is split into as
/// many contiguous runs of `c`'s rows (or, for a wide and short `c`, of its
/// columns), one `sgemm` each on the shared worker pool; every element is
/// computed whole by one call, so a thread count always gives one result.
@inline(__always)
func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
          beta: Float, c: UnsafeMutablePointer<Float>) {
    MathThreads.prepare()
    let lda = transposeA ? m : k, ldb = transposeB ? k : n
    let workers = 2 * m * n * k < ParallelGemm.minimumFLOPs ? 1 : MathThreads.availableWorkers
    guard workers > 1, max(m, n) >= 2 * ParallelGemm.alignment else {
        ParallelGemm.sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, n)
        return
    }
    let byRows = m >= n
    let length = byRows ? m : n
    let parts = min(workers, length / ParallelGemm.alignment)
    let shared = UncheckedShare((a, b, c))
    WorkerThreads.perform(parts) { part in
        let (a, b, c) = shared.value
        // Boundaries on multiples of `alignment`, the last part taking the rest.
        let start = part * length / parts / ParallelGemm.alignment * ParallelGemm.alignment
        let end = part == parts - 1 ? length : (part + 1) * length / parts / ParallelGemm.alignment * ParallelGemm.alignment
        if byRows {
            ParallelGemm.sgemm(transposeA, transposeB, end - start, n, k, alpha, transposeA ? a + start : a + start * lda, lda,
                               b, ldb, beta, c + start * n, n)
        } else {
            ParallelGemm.sgemm(transposeA, transposeB, m, end - start, k, alpha, a, lda,
                               transposeB ? b + start * ldb : b + start, ldb, beta, c + start, n)
        }
    }
}

/// How `gemm` splits a product across workers.
enum ParallelGemm {
    /// Products under this many FLOPs run whole on the calling thread (waking
    /// a worker costs about what 1–2 MFLOP of product does).
    static let minimumFLOPs = 1 << 22
    /// Parts start on multiples of this many rows or columns.
    static let alignment = 16

    /// One single-threaded `cblas_sgemm` call on row-major matrices with explicit strides.
    @inline(__always)
    static func sgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
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
    nonisolated(unsafe) private static var workers = 1

    /// Sets how many threads the tape's kernels use: matrix products large
    /// enough to split, the output-layer blocks, and the row-wise kernels
    /// (cross-entropy, layer norm, masked softmax, dropout), all on one pool
    /// of worker threads; OpenBLAS itself always runs single-threaded (its
    /// own worker threads spin, and beside other threads they collapse
    /// throughput). Warmstart defaults to 1. Use 2 for tape training with
    /// nothing else running; set it between runs, not while one is going.
    public static func setBLASThreads(_ count: Int) {
        prepare()
        workers = max(1, count)
    }

    /// The thread count set by `setBLASThreads`.
    public static var blasThreads: Int {
        prepare()
        return workers
    }

    /// The workers a kernel may fan out to from here: the count set, or 1
    /// when the caller is itself one of the pool's workers.
    static var availableWorkers: Int { workers > 1 && !WorkerThreads.isInside ? workers : 1 }

    /// The OpenBLAS kernel in use (after the library's choice).
    public static var blasKernel: String {
        prepare()
        return BLASKernel.current
    }

    /// Runs the one-time set-up now (every product and thread setting does it first).
    @inline(__always)
    public static func prepare() { precondition(isSetUp) }

    /// The one-time set-up, run on first use: a usable kernel where OpenBLAS
    /// fell back to its slowest one (`BLASKernel.fallbackOverride`), and one
    /// OpenBLAS thread (its default is every core). A value `prepare` reads,
    /// so the optimiser cannot drop the access.
    private static let isSetUp: Bool = {
        if let kernel = BLASKernel.fallbackOverride(environment: ProcessInfo.processInfo.environment,
                                                    currentKernel: BLASKernel.current, cpuFlags: BLASKernel.cpuFlags()) {
            BLASKernel.select(kernel)
        }
        openblas_set_num_threads(1)
        return true
    }()
}
