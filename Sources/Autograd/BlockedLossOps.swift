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
    /// time: each block's scores are made, turned into exponentials in place
    /// and, in the backward pass, into the scores' gradient in place, and
    /// multiplied into both gradients while the block is still in cache.
    /// The whole-matrix ops instead keep the scores, the exponentials and the
    /// scores' gradient as three catalogue-wide arrays, and each of the two
    /// backward products repacks the whole gradient from memory.
    ///
    /// With more than one worker thread the blocks are shared out (each
    /// thread takes a run of blocks with single-threaded products, and its own
    /// share of the table's gradient); the shares and the loss's partial sums
    /// are combined in a fixed order, so a thread count gives one result.
    public func blockedSoftmaxCrossEntropy(_ hidden: Variable, table: Variable, targets: [Int32], block: Int = 256) -> Variable {
        let hv = hidden.value, tv = table.value
        Tape.checkOutputLayer("blockedSoftmaxCrossEntropy", hidden: hv, table: tv, targets: targets, part: ("block", block))
        let n = hv.shape[0], d = hv.shape[1], rows = tv.shape[0]
        let blocks = (n + block - 1) / block
        let workers = max(1, min(MathThreads.availableWorkers, blocks))
        // The exponentials e^(score − max), then the scores' gradient, in one array reused from the last step's.
        let buffer = Tensor(shape: [n * rows], storage: ScratchPool.shared.storage(count: n * rows))
        let inverseSums = Tensor(zeros: [n]), blockLoss = Tensor(zeros: [blocks])
        Tape.shareBlocks(blocks, workers: workers) { _, index in
            let first = index * block, count = min(block, n - first), s = buffer.storage.pointer + first * rows
            gemm(transposeA: false, transposeB: true, m: count, n: rows, k: d, a: hv.storage.pointer + first * d,
                 b: tv.storage.pointer, beta: 0, c: s)
            var partial: Double = 0
            for r in 0..<count {
                let row = s + r * rows, target = row[Int(targets[first + r])]
                let m = vectorMax(row, rows)
                let sum = exponentiateShifted(row, row, rows, shift: m)
                inverseSums.storage.pointer[first + r] = 1 / sum
                partial += Double(m + logf(sum) - target)
            }
            blockLoss.storage.pointer[index] = Float(partial)
        }
        let total = (0..<blocks).reduce(0.0) { $0 + Double(blockLoss.storage.pointer[$1]) }
        let hiddenHandle = hidden.handle, tableHandle = table.handle
        return record(op: "blockedSoftmaxCrossEntropy", value: Tensor(scalar: Float(total / Double(max(n, 1)))),
                      inputs: [hiddenHandle, tableHandle]) { tape, g in
            let upstream = g.scalar / Float(max(n, 1))
            let dHidden = Tensor(uninitializedShape: [n, d]), dTableShares = Tensor(zeros: [workers, rows, d])
            Tape.shareBlocks(blocks, workers: workers) { worker, index in
                let first = index * block, count = min(block, n - first), s = buffer.storage.pointer + first * rows
                // The scores' gradient: upstream · (softmax − one-hot target).
                for r in 0..<count {
                    let row = s + r * rows, factor = upstream * inverseSums.storage.pointer[first + r]
                    for j in 0..<rows { row[j] *= factor }
                    row[Int(targets[first + r])] -= upstream
                }
                gemm(transposeA: false, transposeB: false, m: count, n: d, k: rows, a: s, b: tv.storage.pointer,
                     beta: 0, c: dHidden.storage.pointer + first * d)
                gemm(transposeA: true, transposeB: false, m: rows, n: d, k: count, a: s, b: hv.storage.pointer + first * d,
                     beta: 1, c: dTableShares.storage.pointer + worker * rows * d)
            }
            tape.accumulate(hiddenHandle, dHidden)
            tape.accumulate(tableHandle, Tape.sumOfShares(dTableShares, shape: [rows, d]))
        }
    }
}
