import CBLAS

/// Eigenvalues and eigenvectors of a symmetric matrix, through LAPACK's
/// `dsyev` in OpenBLAS (Float64).
public enum SymmetricEigen {
    /// The eigenvalues of the symmetric `n` x `n` `matrix` (row-major) in
    /// ascending order, and the eigenvectors as the rows of `vectors`
    /// (`vectors[k * n + i]` is component i of the k-th); nil when LAPACK fails.
    public static func decompose(_ matrix: [Double], n: Int) -> (values: [Double], vectors: [Double])? {
        precondition(matrix.count == n * n, "SymmetricEigen: \(matrix.count) entries for a \(n) x \(n) matrix")
        guard n > 0 else { return ([], []) }
        // Column-major in LAPACK: a symmetric matrix reads the same; on return column k holds the k-th
        // eigenvector, which is row k of the same buffer read row-major.
        var a = matrix, values = [Double](repeating: 0, count: n)
        var size = Int32(n), info: Int32 = 0, query = -1 as Int32, optimal = 0.0
        dsyev_("V", "U", &size, &a, &size, &values, &optimal, &query, &info)
        guard info == 0 else { return nil }
        var lwork = Int32(max(optimal, Double(3 * n)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_("V", "U", &size, &a, &size, &values, &work, &lwork, &info)
        return info == 0 ? (values, a) : nil
    }
}
