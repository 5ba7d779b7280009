#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Fused losses: each returns a one-element mean and writes its own gradient.
extension Tape {
    /// Mean over rows of -log softmax(logits)[target], skipping rows whose
    /// target is `ignoreIndex`. `logits` is `[N, C]` (or any rank, classes
    /// last), `targets` has one class id per row. Zero when every row is ignored.
    public func softmaxCrossEntropy(_ logits: Variable, targets: [Int32], ignoreIndex: Int32 = -100) -> Variable {
        let lv = logits.value
        let classes = lv.lastDimension, rows = lv.rowCount
        require(targets.count == rows,
                AutogradError(op: "softmaxCrossEntropy", "\(targets.count) targets for logits \(lv.shape) (\(rows) rows)"))
        for (r, t) in targets.enumerated() where t != ignoreIndex && (t < 0 || Int(t) >= classes) {
            fail(AutogradError(op: "softmaxCrossEntropy", "target \(t) at row \(r) is outside 0..<\(classes)"))
        }
        let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
        let scale: Float = counted > 0 ? 1 / Float(counted) : 0
        // The forward pass keeps e^(x - max) and 1/Σ per row; the backward pass is then one scaled copy per row.
        // Rows run in parallel chunks (see ParallelRows); totals add in chunk order.
        var exponentials = Tensor(uninitializedShape: [rows, classes])
        var inverseSums = [Float](repeating: 0, count: rows)
        let total: Double = exponentials.withUnsafeMutableBufferPointer { e in
            inverseSums.withUnsafeMutableBufferPointer { inv in
                let e = e.baseAddress!, inv = inv.baseAddress!
                return ParallelRows.map(rows: rows, width: classes) { chunk in
                    var partial: Double = 0
                    for r in chunk where targets[r] != ignoreIndex {
                        let row = lv.storage.pointer + r * classes
                        let m = vectorMax(row, classes)
                        let sum = exponentiateShifted(row, e + r * classes, classes, shift: m)
                        inv[r] = 1 / sum
                        partial += Double(m + logf(sum) - row[Int(targets[r])])
                    }
                    return partial
                }.reduce(0, +)
            }
        }
        let loss = Tensor(scalar: Float(total) * scale)
        let logits = logits.handle
        let kept = exponentials, inverse = inverseSums
        return record(op: "softmaxCrossEntropy", value: loss, inputs: [logits]) { tape, g in
            let upstream = g.scalar * scale
            tape.writeGradient(of: logits) { d, fresh in
                ParallelRows.forEach(rows: rows, width: classes) { chunk in
                    for r in chunk {
                        let dst = d + r * classes, p = kept.storage.pointer + r * classes
                        if targets[r] == ignoreIndex {
                            if fresh { dst.update(repeating: 0, count: classes) }
                            continue
                        }
                        let f = upstream * inverse[r]
                        if fresh { for j in 0..<classes { dst[j] = f * p[j] } }
                        else { for j in 0..<classes { dst[j] += f * p[j] } }
                        dst[Int(targets[r])] -= upstream
                    }
                }
            }
        }
    }

    /// Mean binary cross-entropy of `logits` against 0/1 (or soft) `targets`
    /// of the same shape, computed from logits without overflow.
    public func binaryCrossEntropyWithLogits(_ logits: Variable, targets: Tensor) -> Variable {
        let lv = logits.value
        require(lv.count == targets.count,
                AutogradError(op: "binaryCrossEntropyWithLogits", "logits \(lv.shape) and targets \(targets.shape) differ in size"))
        let n = lv.count, scale = 1 / Float(max(n, 1))
        var total: Double = 0
        for i in 0..<n {
            let x = lv.storage.pointer[i], y = targets.storage.pointer[i]
            total += Double(softplus(x) - x * y)
        }
        let loss = Tensor(scalar: Float(total) * scale)
        let logits = logits.handle
        return record(op: "binaryCrossEntropyWithLogits", value: loss, inputs: [logits]) { tape, g in
            let upstream = g.scalar * scale
            tape.withGradient(of: logits) { d in
                for i in 0..<n {
                    d[i] += upstream * (stableSigmoid(lv.storage.pointer[i]) - targets.storage.pointer[i])
                }
            }
        }
    }

    /// Mean of (prediction - target)² over all elements.
    public func meanSquaredError(_ prediction: Variable, _ target: Variable) -> Variable {
        let pv = prediction.value, tv = target.value
        require(pv.count == tv.count,
                AutogradError(op: "meanSquaredError", "prediction \(pv.shape) and target \(tv.shape) differ in size"))
        let n = pv.count, scale = 1 / Float(max(n, 1))
        var total: Double = 0
        for i in 0..<n { let e = pv.storage.pointer[i] - tv.storage.pointer[i]; total += Double(e * e) }
        let loss = Tensor(scalar: Float(total) * scale)
        let prediction = prediction.handle, target = target.handle
        return record(op: "meanSquaredError", value: loss, inputs: [prediction, target]) { tape, g in
            let f = 2 * g.scalar * scale
            tape.withGradient(of: prediction) { d in
                for i in 0..<n { d[i] += f * (pv.storage.pointer[i] - tv.storage.pointer[i]) }
            }
            tape.withGradient(of: target) { d in
                for i in 0..<n { d[i] -= f * (pv.storage.pointer[i] - tv.storage.pointer[i]) }
            }
        }
    }

    /// Bayesian personalised ranking: mean of -log σ(positive - negative).
    public func bprLoss(positive: Variable, negative: Variable) -> Variable {
        let pv = positive.value, nv = negative.value
        require(pv.count == nv.count,
                AutogradError(op: "bprLoss", "positive \(pv.shape) and negative \(nv.shape) scores differ in size"))
        let n = pv.count, scale = 1 / Float(max(n, 1))
        var total: Double = 0
        for i in 0..<n { total += Double(softplus(nv.storage.pointer[i] - pv.storage.pointer[i])) }
        let loss = Tensor(scalar: Float(total) * scale)
        let positive = positive.handle, negative = negative.handle
        return record(op: "bprLoss", value: loss, inputs: [positive, negative]) { tape, g in
            let f = g.scalar * scale
            // d/dpos softplus(neg - pos) = -σ(neg - pos)
            var s = [Float](repeating: 0, count: n)
            for i in 0..<n { s[i] = stableSigmoid(nv.storage.pointer[i] - pv.storage.pointer[i]) }
            tape.withGradient(of: positive) { d in for i in 0..<n { d[i] -= f * s[i] } }
            tape.withGradient(of: negative) { d in for i in 0..<n { d[i] += f * s[i] } }
        }
    }
}
