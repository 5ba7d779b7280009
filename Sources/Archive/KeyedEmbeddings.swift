import Autograd

/// An embedding matrix with a key per row: look up by key, find cosine
/// nearest neighbours, average, normalise.
public struct KeyedEmbeddings: Sendable {
    /// Row keys.
    public let keys: [String]
    /// The matrix, `[keys.count, dimension]`.
    public let vectors: Tensor
    private let rowOfKey: [String: Int]

    /// Pairs `keys` with the rows of `vectors`; refuses duplicate keys, a
    /// row count that disagrees with the keys, and zero-width vectors.
    /// `source` (the file they came from) is named in errors.
    public init(keys: [String], vectors: Tensor, source: String = "embeddings") throws {
        guard vectors.rank == 2, vectors.shape[0] == keys.count else {
            throw ArchiveError(path: source, "\(keys.count) keys for a matrix of shape \(vectors.shape)")
        }
        guard vectors.shape[1] > 0 else { throw ArchiveError(path: source, "the vectors have width 0; an embedding needs at least one dimension") }
        var index: [String: Int] = [:]
        for (i, k) in keys.enumerated() {
            if let first = index.updateValue(i, forKey: k) {
                throw ArchiveError(path: source, "key \(k.debugDescription) appears twice (rows \(first + 1) and \(i + 1)); keys must be unique")
            }
        }
        self.keys = keys
        self.vectors = vectors
        rowOfKey = index
    }

    /// The embeddings of an archive.
    public init(_ contents: ArchiveContents) throws {
        guard let vocabulary = contents.vocabulary, let vectors = contents.vectors else {
            throw ArchiveError(path: "archive", "this archive holds no embeddings (kind \(contents.manifest.kind))")
        }
        try self.init(keys: vocabulary.keys, vectors: vectors)
    }

    /// Width of a vector.
    public var dimension: Int { vectors.shape[1] }

    /// The row of `key`.
    public func row(of key: String) -> Int? { rowOfKey[key] }

    /// The vector of `key`.
    public func vector(for key: String) -> [Float]? {
        rowOfKey[key].map { r in
            vectors.withUnsafeBufferPointer { Array(UnsafeBufferPointer(rebasing: $0[(r * dimension)..<((r + 1) * dimension)])) }
        }
    }

    /// The `k` rows most similar to `query` by cosine, best first, skipping `excluded` rows.
    public func nearest(to query: [Float], k: Int, excluding excluded: Set<Int> = []) -> [(key: String, similarity: Float)] {
        let d = dimension
        let queryNorm = query.withUnsafeBufferPointer { relaxedDot($0.baseAddress!, $0.baseAddress!, d) }.squareRoot()
        guard queryNorm > 0, k > 0 else { return [] }
        var best: [(row: Int, score: Float)] = []
        vectors.withUnsafeBufferPointer { v in
            query.withUnsafeBufferPointer { q in
                for row in 0..<keys.count where !excluded.contains(row) {
                    let r = v.baseAddress! + row * d
                    let norm = relaxedDot(r, r, d).squareRoot()
                    guard norm > 0 else { continue }
                    let score = relaxedDot(r, q.baseAddress!, d) / (norm * queryNorm)
                    if best.count < k || score > best[best.count - 1].score {
                        let at = best.firstIndex { score > $0.score } ?? best.count
                        best.insert((row, score), at: at)
                        if best.count > k { best.removeLast() }
                    }
                }
            }
        }
        return best.map { (keys[$0.row], $0.score) }
    }

    /// The `k` keys most similar to `key` (itself excluded), or nil for an unknown key.
    public func nearest(to key: String, k: Int) -> [(key: String, similarity: Float)]? {
        guard let row = rowOfKey[key], let v = vector(for: key) else { return nil }
        return nearest(to: v, k: k, excluding: [row])
    }

    /// The mean of all rows (or of `rows`).
    public func meanVector(rows: [Int]? = nil) -> [Float] {
        let selected = rows ?? Array(0..<keys.count)
        var mean = [Float](repeating: 0, count: dimension)
        guard !selected.isEmpty else { return mean }
        for r in selected { for j in 0..<dimension { mean[j] += vectors[r, j] } }
        return mean.map { $0 / Float(selected.count) }
    }

    /// A copy with every row scaled to unit length (zero rows stay zero).
    public func normalized() -> KeyedEmbeddings {
        var copy = vectors
        let d = dimension
        copy.withUnsafeMutableBufferPointer { v in
            for row in 0..<keys.count {
                let r = v.baseAddress! + row * d
                let norm = relaxedDot(r, r, d).squareRoot()
                if norm > 0 { for j in 0..<d { r[j] /= norm } }
            }
        }
        return try! KeyedEmbeddings(keys: keys, vectors: copy)
    }
}
