import Autograd
import Testing

@Suite("Blocked softmax cross-entropy", .serialized)
struct BlockedSoftmaxTests {
    /// The loss and both gradients of the blocked op (or of the whole-matrix ops) on fresh gradients.
    private func run(blocked: Bool, hidden: Parameter, table: Parameter, targets: [Int32], block: Int) throws -> (Float, Tensor, Tensor) {
        hidden.zeroGradient(); table.zeroGradient()
        let tape = Tape()
        let h = tape.parameter(hidden), t = tape.parameter(table)
        let loss = blocked ? tape.blockedSoftmaxCrossEntropy(h, table: t, targets: targets, block: block)
            : tape.softmaxCrossEntropy(tape.matmul(h, t, transposeB: true), targets: targets)
        try tape.backward(loss)
        return (loss.value.scalar, hidden.materializedGradient(), table.materializedGradient())
    }

    @Test("block by block equals the whole score matrix: the loss and both gradients, for blocks that do and do not divide the positions",
          arguments: [1, 2, 5, 64])
    func equalsWhole(block: Int) throws {
        let hidden = randomParameter([5, 4], seed: 1), table = randomParameter([7, 4], seed: 2)
        let targets: [Int32] = [0, 6, 3, 3, 5]
        let (wholeLoss, wholeH, wholeT) = try run(blocked: false, hidden: hidden, table: table, targets: targets, block: block)
        let (loss, h, t) = try run(blocked: true, hidden: hidden, table: table, targets: targets, block: block)
        #expect(abs(wholeLoss - loss) < 1e-5)
        for i in 0..<wholeH.count { #expect(abs(wholeH[flat: i] - h[flat: i]) < 1e-5, "hidden \(i)") }
        for i in 0..<wholeT.count { #expect(abs(wholeT[flat: i] - t[flat: i]) < 1e-5, "table \(i)") }
    }

    @Test("301 positions x 700 items on two worker threads (blocks of 64, the last partial) give the whole matrix's loss and gradients, the same bits twice")
    func onTwoThreads() throws {
        let hidden = randomParameter([301, 8], seed: 11), table = randomParameter([700, 8], seed: 12)
        var rng = SeededGenerator(seed: 13)
        let targets = (0..<301).map { _ in Int32(rng.nextInt(below: 700)) }
        MathThreads.setBLASThreads(2)
        defer { MathThreads.setBLASThreads(1) }
        let (wholeLoss, wholeH, wholeT) = try run(blocked: false, hidden: hidden, table: table, targets: targets, block: 64)
        let (loss, h, t) = try run(blocked: true, hidden: hidden, table: table, targets: targets, block: 64)
        let (againLoss, againH, againT) = try run(blocked: true, hidden: hidden, table: table, targets: targets, block: 64)
        #expect(abs(wholeLoss - loss) < 1e-5)
        #expect(againLoss == loss && againH.scalars == h.scalars && againT.scalars == t.scalars)
        #expect((0..<wholeH.count).allSatisfy { abs(wholeH[flat: $0] - h[flat: $0]) < 1e-6 })
        #expect((0..<wholeT.count).allSatisfy { abs(wholeT[flat: $0] - t[flat: $0]) < 1e-6 })
    }

    @Test("its gradients match finite differences")
    func finiteDifferences() throws {
        let hidden = randomParameter([3, 4], seed: 5), table = randomParameter([9, 4], seed: 6)
        try expectGradientsMatch([hidden, table]) { tape in
            tape.reshape(tape.blockedSoftmaxCrossEntropy(tape.parameter(hidden), table: tape.parameter(table), targets: [8, 0, 4], block: 2), [1])
        }
    }

    @Test("large scores do not overflow")
    func largeScores() {
        let tape = Tape()
        let hidden = tape.constant(Tensor(shape: [1, 1], scalars: [100]))
        let table = tape.constant(Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]))
        // Scores 100, 200, 300, 400: −log softmax at 400 = log(1 + e^-100 + …) ≈ 0; at 300 ≈ 100.
        #expect(abs(tape.blockedSoftmaxCrossEntropy(hidden, table: table, targets: [3]).value.scalar) < 1e-5)
        #expect(abs(tape.blockedSoftmaxCrossEntropy(hidden, table: table, targets: [2]).value.scalar - 100) < 1e-3)
    }
}
