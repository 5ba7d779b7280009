import CBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which OpenBLAS kernel runs, and the one to ask for when OpenBLAS does not
/// recognise the processor.
///
/// OpenBLAS 0.3.21 (Debian 12) does not know recent Xeons (family 6, model
/// 207 here) and falls back to its SSE3 "Prescott" kernels: a quarter of the
/// speed of its AVX-512 ones, with the same results. OpenBLAS reads
/// `OPENBLAS_CORETYPE` when the library loads; `MathThreads` re-picks the
/// kernel in-process, before the first matrix product, when
/// `fallbackOverride` names a better one. A value the user set is always
/// left alone.
public enum BLASKernel {
    /// The kernel OpenBLAS chose, e.g. "SkylakeX" or "Prescott".
    public static var current: String { String(cString: openblas_get_corename()) }

    /// The kernel to name in `OPENBLAS_CORETYPE` for this process, or nil
    /// when nothing should change: the variable is already set (even to
    /// "keep"), OpenBLAS recognised the processor, or it lacks AVX2.
    public static func fallbackOverride(environment: [String: String], currentKernel: String,
                                        cpuFlags: Set<String>) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, currentKernel == "Prescott" else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// Asks OpenBLAS to pick its kernel again, as `name` (an
    /// `OPENBLAS_CORETYPE` value such as "Haswell"). Only safe while no
    /// other thread runs a BLAS call: `MathThreads` does it once, before
    /// the first product.
    public static func select(_ name: String) {
        setenv("OPENBLAS_CORETYPE", name, 1)
        gotoblas_dynamic_quit()
        gotoblas_dynamic_init()
    }

    /// The processor's feature flags from /proc/cpuinfo (empty elsewhere).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
