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
    /// for its softmax). (Splitting each tile's rows across threads measured
    /// no faster at 2 threads: the products, on OpenBLAS's threads, dominate.)
    ///
    /// When the `[N, rows]` exponentials number at most `keepUpTo`, they are
    /// kept for the backward pass, which then only rescales them; above it
    /// only one tile is held at a time (memory N × tile, whatever the
    /// catalogue) and the backward pass recomputes each tile's scores (one
    /// more `[N, D] x [D, tile]` product per tile).
    public func tiledSoftmaxCrossEntropy(_ hidden: Variable, table: Variable, targets: [Int32], tile: Int = 2048,
                                         keepUpTo: Int = 0) -> Variable {
        let hv = hidden.value, tv = table.value
        require(hv.rank == 2 && tv.rank == 2 && hv.shape[1] == tv.shape[1] && tile >= 1,
                AutogradError(op: "tiledSoftmaxCrossEntropy", "hidden \(hv.shape) and table \(tv.shape) must be matrices of one width, tile \(tile) at least 1"))
        let n = hv.shape[0], d = hv.shape[1], rows = tv.shape[0]
        require(targets.count == n, AutogradError(op: "tiledSoftmaxCrossEntropy", "\(targets.count) targets for \(n) rows"))
        for (r, t) in targets.enumerated() where t < 0 || Int(t) >= rows {
            fail(AutogradError(op: "tiledSoftmaxCrossEntropy", "target \(t) at row \(r) is outside 0..<\(rows)"))
        }
        let keep = n * rows <= keepUpTo, tiles = (rows + tile - 1) / tile
        // Per row: the running maximum and sum, the target's score; per tile and row: the shift its exponentials used.
        let maximum = Tensor(shape: [n], repeating: -.infinity), sum = Tensor(zeros: [n]), targetScore = Tensor(zeros: [n])
        let shifts = Tensor(zeros: [keep ? tiles * n : 0])
        let buffer = Tensor(uninitializedShape: [keep ? n * rows : n * min(tile, rows)])
        let (maxima, sums, targetScores) = (maximum.storage.pointer, sum.storage.pointer, targetScore.storage.pointer)
        Tape.forEachTile(rows: rows, tile: tile) { index, start, width in
            let s = buffer.storage.pointer + (keep ? start * n : 0), shift = shifts.storage.pointer + index * n
            gemm(transposeA: false, transposeB: true, m: n, n: width, k: d, a: hv.storage.pointer, b: tv.storage.pointer + start * d, beta: 0, c: s)
            for r in 0..<n {
                let row = s + r * width, t = Int(targets[r]) - start
                if t >= 0 && t < width { targetScores[r] = row[t] }
                let m = max(maxima[r], vectorMax(row, width))
                sums[r] = sums[r] * expf(maxima[r] - m) + exponentiateShifted(row, row, width, shift: m)
                maxima[r] = m
                if keep { shift[r] = m }
            }
        }
        let logSumExp = (0..<n).map { maxima[$0] + logf(sums[$0]) }
        let total = (0..<n).reduce(0.0) { $0 + Double(logSumExp[$1] - targetScores[$1]) }
        let hiddenHandle = hidden.handle, tableHandle = table.handle
        return record(op: "tiledSoftmaxCrossEntropy", value: Tensor(scalar: Float(total / Double(max(n, 1)))),
                      inputs: [hiddenHandle, tableHandle]) { tape, g in
            let upstream = g.scalar / Float(max(n, 1))
            var dHidden = Tensor(zeros: [n, d]), dTable = Tensor(uninitializedShape: [rows, d])
            Tape.forEachTile(rows: rows, tile: tile) { index, start, width in
                let s = buffer.storage.pointer + (keep ? start * n : 0), shift = shifts.storage.pointer + index * n
                if !keep {
                    gemm(transposeA: false, transposeB: true, m: n, n: width, k: d, a: hv.storage.pointer, b: tv.storage.pointer + start * d, beta: 0, c: s)
                }
                // The gradient of the scores: upstream · (softmax − one-hot target).
                for r in 0..<n {
                    let row = s + r * width
                    if keep {
                        let factor = upstream * expf(shift[r] - logSumExp[r])
                        for j in 0..<width { row[j] *= factor }
                    } else {
                        let lse = logSumExp[r]
                        for j in 0..<width { row[j] = upstream * vectorExp(row[j] - lse) }
                    }
                    let t = Int(targets[r]) - start
                    if t >= 0 && t < width { row[t] -= upstream }
                }
                dHidden.withUnsafeMutableBufferPointer { dh in
                    gemm(transposeA: false, transposeB: false, m: n, n: d, k: width, a: s, b: tv.storage.pointer + start * d, beta: 1, c: dh.baseAddress!)
                }
                dTable.withUnsafeMutableBufferPointer { dt in
                    gemm(transposeA: true, transposeB: false, m: width, n: d, k: n, a: s, b: hv.storage.pointer, beta: 0, c: dt.baseAddress! + start * d)
                }
            }
            tape.accumulate(hiddenHandle, dHidden)
            tape.accumulate(tableHandle, dTable)
        }
    }

    /// Calls `body(index, start, width)` for each run of at most `tile` of `rows`.
    private static func forEachTile(rows: Int, tile: Int, _ body: (Int, Int, Int) -> Void) {
        for (index, start) in stride(from: 0, to: rows, by: tile).enumerated() { body(index, start, min(tile, rows - start)) }
    }
}
