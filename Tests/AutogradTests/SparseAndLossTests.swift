import Foundation
import Autograd
import Testing

@Suite("Gathers, embedding bags and losses")
struct SparseAndLossTests {
    @Test("gather from a parameter: row-sparse gradient, repeats summed")
    func gatherSparse() throws {
        let table = randomParameter([6, 3], seed: 30)
        let ids: [Int32] = [4, 1, 4, 0]
        try expectGradientsMatch([table]) { tape in tape.gather(table, ids) }
        let tape = Tape()
        let out = tape.gather(table, ids)
        try tape.backward(tape.sum(out))
        #expect(table.denseGradient == nil)
        table.consolidateGradient()
        let sparse = try #require(table.sparseGradient)
        #expect(sparse.rows == [4, 1, 0])
        #expect(sparse.values == [2, 2, 2, 1, 1, 1, 1, 1, 1])
    }

    @Test("gather from a recorded value: dense scatter-add")
    func gatherDense() throws {
        let a = randomParameter([5, 2], seed: 31)
        try expectGradientsMatch([a]) { tape in tape.gather(tape.tanh(tape.parameter(a)), [2, 2, 0]) }
    }

    @Test("embedding bag: mean, sum, weights, empty bag", arguments: [Tape.BagMode.mean, .sum])
    func embeddingBag(mode: Tape.BagMode) throws {
        let table = randomParameter([7, 4], seed: 32)
        let ids: [Int32] = [1, 3, 3, 6, 0, 2]
        let offsets = [0, 3, 3, 4]  // bags: [1,3,3], [], [6], [0,2]
        let weights: [Float] = [0.5, 2, 1, -1, 3, 0.25]
        try expectGradientsMatch([table]) { tape in tape.embeddingBag(table, indices: ids, offsets: offsets, mode: mode) }
        try expectGradientsMatch([table]) { tape in
            tape.embeddingBag(table, indices: ids, offsets: offsets, weights: weights, mode: mode)
        }
        let tape = Tape()
        let out = tape.embeddingBag(table, indices: ids, offsets: offsets, mode: mode).value
        #expect(out.shape == [4, 4])
        #expect((0..<4).allSatisfy { out[1, $0] == 0 })
        let expected = mode == .mean ? (table.value[0, 0] + table.value[2, 0]) / 2 : table.value[0, 0] + table.value[2, 0]
        #expect(abs(out[3, 0] - expected) < 1e-6)
    }

    @Test("a very long bag's gradient is merged per distinct row and equals the per-token sum", arguments: [Tape.BagMode.mean, .sum])
    func longBagGradient(mode: Tape.BagMode) throws {
        let table = randomParameter([50, 4], seed: 34)
        var rng = SeededGenerator(seed: 35)
        let long = 1_100_000  // x 4 columns: past the merge threshold
        let ids = (0..<(long + 3)).map { _ in Int32(rng.nextInt(below: 50)) }
        let weights = (0..<ids.count).map { _ in Float(rng.nextInt(below: 7)) - 3 }
        let offsets = [0, long]  // bags: the long one, then 3 items
        let tape = Tape()
        try tape.backward(tape.sum(tape.embeddingBag(table, indices: ids, offsets: offsets, weights: weights, mode: mode)))
        table.consolidateGradient()
        let sparse = try #require(table.sparseGradient)
        #expect(sparse.values.count == sparse.rows.count * 4 && Set(sparse.rows).count == sparse.rows.count)
        var expected = [Double](repeating: 0, count: 50)  // d(sum)/d(row r, any column) = sum of its factors
        for (k, r) in ids.enumerated() {
            let n = Double(k < long ? long : 3)
            expected[Int(r)] += Double(weights[k]) / (mode == .mean ? n : 1)
        }
        for (slot, r) in sparse.rows.enumerated() {
            for j in 0..<4 {
                let got = Double(sparse.values[slot * 4 + j])
                #expect(abs(got - expected[Int(r)]) <= 1e-4 * max(1, abs(expected[Int(r)])), "row \(r): \(got) vs \(expected[Int(r)])")
            }
        }
    }

    @Test("softmax cross-entropy: value by hand, ignore index, gradient")
    func crossEntropy() throws {
        let tape = Tape()
        let logits = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0]))
        let loss = tape.softmaxCrossEntropy(logits, targets: [2, 0]).value.scalar
        // row 0: log(e+e²+e³) - 3 = 0.407606; row 1: log 3 = 1.098612
        #expect(abs(loss - (0.407606 + 1.098612) / 2) < 1e-5)
        let ignored = tape.softmaxCrossEntropy(logits, targets: [2, -100]).value.scalar
        #expect(abs(ignored - 0.407606) < 1e-5)
        #expect(tape.softmaxCrossEntropy(logits, targets: [-100, -100]).value.scalar == 0)
        let a = randomParameter([4, 5], seed: 33)
        try expectGradientsMatch([a]) { tape in tape.softmaxCrossEntropy(tape.parameter(a), targets: [1, -100, 4, 0]) }
    }

    @Test("cross-entropy over many rows (split across threads) matches a Float64 reference, loss and gradient")
    func crossEntropyLarge() throws {
        let rows = 301, classes = 700  // above ParallelRows' threshold
        var rng = SeededGenerator(seed: 35)
        let logits = Parameter(.uniform(shape: [rows, classes], low: -6, high: 6, using: &rng))
        let targets = (0..<rows).map { $0 % 7 == 3 ? Int32(-100) : Int32(rng.nextInt(below: classes)) }
        MathThreads.setBLASThreads(2)
        defer { MathThreads.setBLASThreads(1) }
        let tape = Tape()
        let loss = tape.softmaxCrossEntropy(tape.parameter(logits), targets: targets)
        try tape.backward(loss)
        let x = logits.value.scalars, gradient = logits.denseGradient!.scalars
        let counted = Double(targets.filter { $0 >= 0 }.count)
        var expected = 0.0, worst = 0.0
        for r in 0..<rows {
            let row = x[(r * classes)..<((r + 1) * classes)].map(Double.init)
            let m = row.max()!, sum = row.reduce(0) { $0 + Foundation.exp($1 - m) }
            for j in 0..<classes {
                let want = targets[r] < 0 ? 0 : (Foundation.exp(row[j] - m) / sum - (j == Int(targets[r]) ? 1 : 0)) / counted
                worst = max(worst, abs(Double(gradient[r * classes + j]) - want))
            }
            if targets[r] >= 0 { expected += m + Foundation.log(sum) - row[Int(targets[r])] }
        }
        #expect(abs(Double(loss.value.scalar) - expected / counted) < 1e-5)
        #expect(worst < 1e-8, "worst gradient error \(worst)")
    }

    @Test("binary cross-entropy on logits, MSE and BPR")
    func otherLosses() throws {
        let tape = Tape()
        let bce = tape.binaryCrossEntropyWithLogits(tape.constant(Tensor(shape: [2], scalars: [0, 2])),
                                                    targets: Tensor(shape: [2], scalars: [1, 0])).value.scalar
        // log 2 = 0.693147 and log(1 + e²) = 2.126928
        #expect(abs(bce - (0.693147 + 2.126928) / 2) < 1e-5)
        let far = tape.binaryCrossEntropyWithLogits(tape.constant(Tensor(shape: [1], scalars: [-200])),
                                                    targets: Tensor(shape: [1], scalars: [1])).value.scalar
        #expect(abs(far - 200) < 1e-3)
        let mse = tape.meanSquaredError(tape.constant(Tensor(shape: [2], scalars: [1, 4])),
                                        tape.constant(Tensor(shape: [2], scalars: [2, 2]))).value.scalar
        #expect(mse == 2.5)
        let bpr = tape.bprLoss(positive: tape.constant(Tensor(shape: [1], scalars: [1])),
                               negative: tape.constant(Tensor(shape: [1], scalars: [1]))).value.scalar
        #expect(abs(bpr - 0.693147) < 1e-6)

        let logits = randomParameter([3, 2], seed: 34)
        let targets = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        try expectGradientsMatch([logits]) { tape in tape.binaryCrossEntropyWithLogits(tape.parameter(logits), targets: targets) }
        let p = randomParameter([5], seed: 35), q = randomParameter([5], seed: 36)
        try expectGradientsMatch([p, q]) { tape in tape.meanSquaredError(tape.parameter(p), tape.parameter(q)) }
        try expectGradientsMatch([p, q]) { tape in tape.bprLoss(positive: tape.parameter(p), negative: tape.parameter(q)) }
    }

    @Test("a non-finite loss stops backward with the op's name and changes nothing")
    func nonFiniteLoss() throws {
        let a = Parameter(Tensor(shape: [2], scalars: [-1, 1]))
        let tape = Tape()
        let loss = tape.sum(tape.log(tape.parameter(a)))
        #expect(throws: AutogradError.self) { try tape.backward(loss) }
        do { try tape.backward(loss) } catch let e as AutogradError {
            #expect(e.op == "backward" && e.message.contains("nan"))
        }
        #expect(!a.hasGradient)
    }

    @Test("a frozen parameter receives no gradient")
    func frozenParameter() throws {
        let table = randomParameter([4, 2], seed: 37)
        let w = randomParameter([2, 2], seed: 38)
        table.isFrozen = true
        let tape = Tape()
        let out = tape.matmul(tape.gather(table, [0, 3]), tape.parameter(w))
        try tape.backward(tape.sum(out))
        #expect(!table.hasGradient)
        #expect(w.hasGradient)
    }
}

@Suite("Tape lifetime")
struct TapeLifetimeTests {
    @Test("a tape whose backward never ran is freed with its last variable (no cycle through closures)")
    func noCycle() {
        weak var weakTape: Tape?
        let p = randomParameter([3, 3], seed: 40)
        do {
            let tape = Tape()
            weakTape = tape
            let y = tape.relu(tape.matmul(tape.parameter(p), tape.parameter(p)) + tape.gather(p, [0, 1, 2]))
            #expect(tape.requiresGradient(y))
        }
        #expect(weakTape == nil)
    }
}
