#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The output layer and its softmax cross-entropy fused, a tile of items at a time.
extension Tape {
    /// Mean over rows of −log softmax(hidden · tableᵀ)[target], the same
    /// value and gradients as `softmaxCrossEntropy(matmul(hidden, table,
    /// transposeB: true), targets:)`, but computed `tile` table rows at a
    /// time with a running maximum and sum per row (as flash attention does
    /// for its softmax): the `[N, rows]` scores and their gradient are never
    /// held whole, so the memory of the output layer grows with N × tile,
    /// whatever the catalogue. The backward pass recomputes each tile's
    /// scores (one more `[N, D] x [D, tile]` product per tile).
    public func tiledSoftmaxCrossEntropy(_ hidden: Variable, table: Variable, targets: [Int32], tile: Int = 2048) -> Variable {
        let hv = hidden.value, tv = table.value
        require(hv.rank == 2 && tv.rank == 2 && hv.shape[1] == tv.shape[1] && tile >= 1,
                AutogradError(op: "tiledSoftmaxCrossEntropy", "hidden \(hv.shape) and table \(tv.shape) must be matrices of one width, tile \(tile) at least 1"))
        let n = hv.shape[0], d = hv.shape[1], rows = tv.shape[0]
        require(targets.count == n, AutogradError(op: "tiledSoftmaxCrossEntropy", "\(targets.count) targets for \(n) rows"))
        for (r, t) in targets.enumerated() where t < 0 || Int(t) >= rows {
            fail(AutogradError(op: "tiledSoftmaxCrossEntropy", "target \(t) at row \(r) is outside 0..<\(rows)"))
        }
        var maximum = [Float](repeating: -.infinity, count: n), sum = [Float](repeating: 0, count: n)
        var targetScore = [Float](repeating: 0, count: n)
        var scores = [Float](repeating: 0, count: n * min(tile, rows))
        Tape.forEachTile(rows: rows, tile: tile) { start, width in
            scores.withUnsafeMutableBufferPointer { s in
                gemm(transposeA: false, transposeB: true, m: n, n: width, k: d, a: hv.storage.pointer,
                     b: tv.storage.pointer + start * d, beta: 0, c: s.baseAddress!)
                for r in 0..<n {
                    let row = s.baseAddress! + r * width
                    let t = Int(targets[r]) - start
                    if t >= 0 && t < width { targetScore[r] = row[t] }
                    let m = max(maximum[r], vectorMax(row, width))
                    sum[r] = sum[r] * expf(maximum[r] - m) + exponentiateShifted(row, row, width, shift: m)
                    maximum[r] = m
                }
            }
        }
        let logSumExp = (0..<n).map { maximum[$0] + logf(sum[$0]) }
        let total = (0..<n).reduce(0.0) { $0 + Double(logSumExp[$1] - targetScore[$1]) }
        let hiddenHandle = hidden.handle, tableHandle = table.handle
        return record(op: "tiledSoftmaxCrossEntropy", value: Tensor(scalar: Float(total / Double(max(n, 1)))),
                      inputs: [hiddenHandle, tableHandle]) { tape, g in
            let upstream = g.scalar / Float(max(n, 1))
            var dHidden = Tensor(zeros: [n, d]), dTable = Tensor(uninitializedShape: [rows, d])
            var gradient = [Float](repeating: 0, count: n * min(tile, rows))
            Tape.forEachTile(rows: rows, tile: tile) { start, width in
                gradient.withUnsafeMutableBufferPointer { s in
                    let s = s.baseAddress!
                    gemm(transposeA: false, transposeB: true, m: n, n: width, k: d, a: hv.storage.pointer,
                         b: tv.storage.pointer + start * d, beta: 0, c: s)
                    for r in 0..<n {
                        let row = s + r * width, shift = logSumExp[r]
                        for j in 0..<width { row[j] = upstream * vectorExp(row[j] - shift) }
                        let t = Int(targets[r]) - start
                        if t >= 0 && t < width { row[t] -= upstream }
                    }
                    dHidden.withUnsafeMutableBufferPointer { dh in
                        gemm(transposeA: false, transposeB: false, m: n, n: d, k: width, a: s, b: tv.storage.pointer + start * d,
                             beta: 1, c: dh.baseAddress!)
                    }
                    dTable.withUnsafeMutableBufferPointer { dt in
                        gemm(transposeA: true, transposeB: false, m: width, n: d, k: n, a: s, b: hv.storage.pointer,
                             beta: 0, c: dt.baseAddress! + start * d)
                    }
                }
            }
            tape.accumulate(hiddenHandle, dHidden)
            tape.accumulate(tableHandle, dTable)
        }
    }

    /// Calls `body(start, width)` for each run of at most `tile` of `rows`.
    private static func forEachTile(rows: Int, tile: Int, _ body: (Int, Int) -> Void) {
        for start in stride(from: 0, to: rows, by: tile) { body(start, min(tile, rows - start)) }
    }
}
