#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The output layer and its softmax cross-entropy fused, a block of positions at a time.
extension Tape {
    /// Mean over rows of −log softmax(hidden · tableᵀ)[target], the same
    /// value and gradients as `softmaxCrossEntropy(matmul(hidden, table,
    /// transposeB: true), targets:)`, computed `block` rows of `hidden` at a
    /// time. Each block's scores are made, turned into exponentials and then
    /// into the scores' gradient in place, and multiplied into both
    /// gradients while the block is still in cache, in the forward pass:
    /// the gradients are linear in the one upstream number, so the backward
    /// pass only scales them. No array of the positions × catalogue is kept
    /// (the whole-matrix ops keep three: scores, exponentials, gradient),
    /// only one block per thread. When neither input needs a gradient the
    /// gradient products are skipped.
    ///
    /// With more than one worker thread the blocks are shared out (each
    /// thread takes a run of blocks with single-threaded products, and its own
    /// share of the table's gradient); the shares and the loss's partial sums
    /// are combined in a fixed order, so a thread count gives one result.
    public func blockedSoftmaxCrossEntropy(_ hidden: Variable, table: Variable, targets: [Int32], block: Int = 128) -> Variable {
        let hv = hidden.value, tv = table.value
        Tape.checkOutputLayer("blockedSoftmaxCrossEntropy", hidden: hv, table: tv, targets: targets, part: ("block", block))
        let n = hv.shape[0], d = hv.shape[1], rows = tv.shape[0]
        let blocks = (n + block - 1) / block, blockRows = min(block, n)
        let workers = max(1, min(MathThreads.availableWorkers, blocks))
        let gradients = requiresGradient(hidden) || requiresGradient(table)
        // One block of scores per worker, reused from the last step's.
        let buffer = Tensor(shape: [workers * blockRows * rows], storage: ScratchPool.shared.storage(count: workers * blockRows * rows))
        let blockLoss = Tensor(zeros: [blocks])
        let dHidden = Tensor(uninitializedShape: gradients ? [n, d] : [0])
        let dTableShares = Tensor(zeros: gradients ? [workers, rows, d] : [0])
        Tape.shareBlocks(blocks, workers: workers) { worker, index in
            let first = index * block, count = min(block, n - first), s = buffer.storage.pointer + worker * blockRows * rows
            let h = hv.storage.pointer + first * d
            gemm(transposeA: false, transposeB: true, m: count, n: rows, k: d, a: h, b: tv.storage.pointer, beta: 0, c: s)
            var partial: Double = 0
            for r in 0..<count {
                let row = s + r * rows, target = Int(targets[first + r]), targetScore = row[target]
                let m = vectorMax(row, rows)
                let sum = exponentiateShifted(row, row, rows, shift: m)
                partial += Double(m + logf(sum) - targetScore)
                guard gradients else { continue }
                // The row's gradient of −log softmax: softmax − one-hot target.
                let inverse = 1 / sum
                for j in 0..<rows { row[j] *= inverse }
                row[target] -= 1
            }
            blockLoss.storage.pointer[index] = Float(partial)
            guard gradients else { return }
            gemm(transposeA: false, transposeB: false, m: count, n: d, k: rows, a: s, b: tv.storage.pointer,
                 beta: 0, c: dHidden.storage.pointer + first * d)
            gemm(transposeA: true, transposeB: false, m: rows, n: d, k: count, a: s, b: h,
                 beta: 1, c: dTableShares.storage.pointer + worker * rows * d)
        }
        let total = (0..<blocks).reduce(0.0) { $0 + Double(blockLoss.storage.pointer[$1]) }
        let hiddenHandle = hidden.handle, tableHandle = table.handle
        return record(op: "blockedSoftmaxCrossEntropy", value: Tensor(scalar: Float(total / Double(max(n, 1)))),
                      inputs: [hiddenHandle, tableHandle]) { tape, g in
            // The gradients made in the forward pass, scaled by the upstream number (once: a tape runs backward once).
            let scale = g.scalar / Float(max(n, 1)), dTable = Tape.sumOfShares(dTableShares, shape: [rows, d])
            for part in [dHidden, dTable] {
                let p = part.storage.pointer
                ParallelRows.forEach(rows: part.count, width: 1) { range in for i in range { p[i] *= scale } }
            }
            tape.accumulate(hiddenHandle, dHidden)
            tape.accumulate(tableHandle, dTable)
        }
    }
}
