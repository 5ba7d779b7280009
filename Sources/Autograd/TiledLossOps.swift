#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import CBLAS
import Dispatch

/// The output layer and its softmax cross-entropy fused, a tile of items at a time.
extension Tape {
    /// Mean over rows of −log softmax(hidden · tableᵀ)[target], the same
    /// value and gradients as `softmaxCrossEntropy(matmul(hidden, table,
    /// transposeB: true), targets:)`, but computed `tile` table rows at a
    /// time with a running maximum and sum per row (as flash attention does
    /// for its softmax).
    ///
    /// With more than one worker thread the tiles are shared out: each
    /// thread takes a run of tiles with single-threaded products (thin
    /// `[N, D] x [D, tile]` products scale badly inside OpenBLAS), keeps its
    /// own running maximum and sum and its own share of the hidden states'
    /// gradient, and the shares are combined at the end.
    ///
    /// When the `[N, rows]` exponentials number at most `keepUpTo`, they are
    /// kept for the backward pass, which then only rescales them; above it
    /// only one tile per thread is held at a time (memory N × tile, whatever
    /// the catalogue) and the backward pass recomputes each tile's scores.
    public func tiledSoftmaxCrossEntropy(_ hidden: Variable, table: Variable, targets: [Int32], tile: Int = 2048,
                                         keepUpTo: Int = 0) -> Variable {
        let hv = hidden.value, tv = table.value
        Tape.checkOutputLayer("tiledSoftmaxCrossEntropy", hidden: hv, table: tv, targets: targets, part: ("tile", tile))
        let n = hv.shape[0], d = hv.shape[1], rows = tv.shape[0]
        let keep = n * rows <= keepUpTo, tiles = (rows + tile - 1) / tile, tileSize = min(tile, rows)
        let workers = max(1, min(MathThreads.availableWorkers, tiles))
        // Per worker and row: the running maximum and sum; per row: the target's score; per tile and row: the shift its exponentials used.
        let maximum = Tensor(shape: [workers * n], repeating: -.infinity), sum = Tensor(zeros: [workers * n])
        let targetScore = Tensor(zeros: [n]), shifts = Tensor(zeros: [keep ? tiles * n : 0])
        // The step's largest array, reused from the last step's (ScratchPool) rather than mapped and zeroed afresh:
        // at 9,340 items this took W5 from 13.8k to 18.0k positions/s on one thread.
        let count = keep ? n * rows : workers * n * tileSize
        let buffer = Tensor(shape: [count], storage: ScratchPool.shared.storage(count: count))
        func scores(_ index: Int, worker: Int) -> UnsafeMutablePointer<Float> {
            buffer.storage.pointer + (keep ? index * tile * n : worker * n * tileSize)
        }
        Tape.shareBlocks(tiles, workers: workers) { worker, index in
            let start = index * tile, width = min(tile, rows - start), s = scores(index, worker: worker)
            let maxima = maximum.storage.pointer + worker * n, sums = sum.storage.pointer + worker * n
            let shift = shifts.storage.pointer + index * n
            gemm(transposeA: false, transposeB: true, m: n, n: width, k: d, a: hv.storage.pointer, b: tv.storage.pointer + start * d, beta: 0, c: s)
            for r in 0..<n {
                let row = s + r * width, t = Int(targets[r]) - start
                if t >= 0 && t < width { targetScore.storage.pointer[r] = row[t] }
                let m = max(maxima[r], vectorMax(row, width))
                sums[r] = sums[r] * expf(maxima[r] - m) + exponentiateShifted(row, row, width, shift: m)
                maxima[r] = m
                if keep { shift[r] = m }
            }
        }
        let logSumExp: [Float] = (0..<n).map { r in
            let m = (0..<workers).map { maximum.storage.pointer[$0 * n + r] }.max()!
            return m + logf((0..<workers).reduce(0) { total, w in
                let mw = maximum.storage.pointer[w * n + r]
                return mw == -.infinity ? total : total + sum.storage.pointer[w * n + r] * expf(mw - m)
            })
        }
        let total = (0..<n).reduce(0.0) { $0 + Double(logSumExp[$1] - targetScore.storage.pointer[$1]) }
        let hiddenHandle = hidden.handle, tableHandle = table.handle
        return record(op: "tiledSoftmaxCrossEntropy", value: Tensor(scalar: Float(total / Double(max(n, 1)))),
                      inputs: [hiddenHandle, tableHandle]) { tape, g in
            let upstream = g.scalar / Float(max(n, 1))
            // Each worker adds its tiles' share of the hidden states' gradient into its own block.
            let dHiddenShares = Tensor(zeros: [workers, n, d]), dTable = Tensor(uninitializedShape: [rows, d])
            Tape.shareBlocks(tiles, workers: workers) { worker, index in
                let start = index * tile, width = min(tile, rows - start), s = scores(index, worker: worker)
                let shift = shifts.storage.pointer + index * n
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
                gemm(transposeA: false, transposeB: false, m: n, n: d, k: width, a: s, b: tv.storage.pointer + start * d,
                     beta: 1, c: dHiddenShares.storage.pointer + worker * n * d)
                gemm(transposeA: true, transposeB: false, m: width, n: d, k: n, a: s, b: hv.storage.pointer,
                     beta: 0, c: dTable.storage.pointer + start * d)
            }
            tape.accumulate(hiddenHandle, Tape.sumOfShares(dHiddenShares, shape: [n, d]))
            tape.accumulate(tableHandle, dTable)
        }
    }

    /// Stops with an error naming `op` unless `hidden` `[N, D]` and `table`
    /// `[rows, D]` are matrices of one width, there is a target per row of
    /// `hidden`, each a row of `table`, and the tile or block size is positive.
    static func checkOutputLayer(_ op: String, hidden hv: Tensor, table tv: Tensor, targets: [Int32], part: (name: String, size: Int)) {
        require(hv.rank == 2 && tv.rank == 2 && hv.shape[1] == tv.shape[1] && part.size >= 1,
                AutogradError(op: op, "hidden \(hv.shape) and table \(tv.shape) must be matrices of one width, \(part.name) \(part.size) at least 1"))
        let n = hv.shape[0], rows = tv.shape[0]
        require(targets.count == n, AutogradError(op: op, "\(targets.count) targets for \(n) rows"))
        for (r, t) in targets.enumerated() where t < 0 || Int(t) >= rows {
            fail(AutogradError(op: op, "target \(t) at row \(r) is outside 0..<\(rows)"))
        }
    }

    /// The sum of the `[workers, …shape]` `shares`, added in worker order
    /// (so a thread count always gives the same bits).
    static func sumOfShares(_ shares: Tensor, shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *), workers = shares.count / max(count, 1)
        var total = Tensor(uninitializedShape: shape)
        total.withUnsafeMutableBufferPointer { out in
            let parts = shares.storage.pointer
            for i in 0..<count { out[i] = parts[i] }
            for w in 1..<max(workers, 1) { for i in 0..<count { out[i] += parts[w * count + i] } }
        }
        return total
    }

    /// Calls `body(worker, block index)` for every block (a tile of items, or
    /// of positions): on the calling thread for one worker; otherwise each
    /// worker takes a contiguous run of blocks on its own thread (its
    /// products run on that thread, not split again).
    static func shareBlocks(_ tiles: Int, workers: Int, _ body: (Int, Int) -> Void) {
        guard workers > 1 else { for index in 0..<tiles { body(0, index) }; return }
        WorkerThreads.perform(workers) { worker in
            // Each worker writes only its own tiles, its own running figures and its own gradient block.
            for index in (tiles * worker / workers)..<(tiles * (worker + 1) / workers) { body(worker, index) }
        }
    }
}
