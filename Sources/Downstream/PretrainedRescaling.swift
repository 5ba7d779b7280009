import Archive
import Autograd

extension WarmStart {
    /// The rows' mean vector and their standard deviation over all elements.
    static func spread(_ embeddings: KeyedEmbeddings) -> (mean: [Float], std: Float) {
        let d = embeddings.dimension, rows = embeddings.keys.count
        let mean = embeddings.meanVector()
        var variance: Float = 0
        embeddings.vectors.withUnsafeBufferPointer { v in
            for r in 0..<rows { for j in 0..<d { let c = v[r * d + j] - mean[j]; variance += c * c } }
        }
        return (mean, (variance / Float(max(rows * d, 1))).squareRoot())
    }

    /// `embeddings` rescaled by `policy` (see `RescalePolicy`): centred,
    /// whitened and scaled to standard deviation `target`; or each row to length 1.
    static func rescaled(_ embeddings: KeyedEmbeddings, _ policy: RescalePolicy, to target: Float) throws -> KeyedEmbeddings {
        switch policy {
        case .none, .auto: return embeddings  // `auto` is resolved by the caller
        case .unit:
            let d = embeddings.dimension
            var table = embeddings.vectors
            table.withUnsafeMutableBufferPointer { v in
                for r in 0..<embeddings.keys.count {
                    var norm: Float = 0
                    for j in 0..<d { norm += v[r * d + j] * v[r * d + j] }
                    let factor = norm > 0 ? 1 / norm.squareRoot() : 1
                    for j in 0..<d { v[r * d + j] *= factor }
                }
            }
            return try KeyedEmbeddings(keys: embeddings.keys, vectors: table)
        case .initial:
            var table = whitened(embeddings)
            let std = spread(try KeyedEmbeddings(keys: embeddings.keys, vectors: table)).std
            let factor = target / max(std, .leastNormalMagnitude)
            table.withUnsafeMutableBufferPointer { v in for i in v.indices { v[i] *= factor } }
            return try KeyedEmbeddings(keys: embeddings.keys, vectors: table)
        }
    }

    /// The rows centred and ZCA-whitened: (X − μ) U diag(1/√(λ + ε)) Uᵀ,
    /// with ε a millionth of the largest eigenvalue, so that directions the
    /// rows do not use (fewer rows than dimensions, rounding) are not blown
    /// up; the rows only centred when LAPACK fails.
    static func whitened(_ embeddings: KeyedEmbeddings) -> Tensor {
        let d = embeddings.dimension, rows = embeddings.keys.count
        let mean = embeddings.meanVector()
        var centred = embeddings.vectors
        centred.withUnsafeMutableBufferPointer { v in for r in 0..<rows { for j in 0..<d { v[r * d + j] -= mean[j] } } }
        let tape = Tape()
        let x = tape.constant(centred)
        let covariance = tape.matmul(x, x, transposeA: true).value.scalars.map { Double($0) / Double(max(rows, 1)) }
        guard let (values, vectors) = SymmetricEigen.decompose(covariance, n: d) else { return centred }
        let epsilon = 1e-6 * max(values.last ?? 0, .leastNormalMagnitude)
        var whitening = [Float](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var w = 0.0
                for k in 0..<d { w += vectors[k * d + i] * vectors[k * d + j] / (max(values[k], 0) + epsilon).squareRoot() }
                whitening[i * d + j] = Float(w)
            }
        }
        return tape.matmul(x, tape.constant(Tensor(shape: [d, d], scalars: whitening))).value
    }
}
