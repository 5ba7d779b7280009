import Autograd
import Testing

@Suite("Tiled softmax cross-entropy")
struct TiledSoftmaxTests {
    @Test("tile by tile equals the whole score matrix: the loss and both gradients, for tiles that do and do not divide the rows, exponentials kept or recomputed",
          arguments: [1, 3, 7, 64], [false, true])
    func equalsWhole(tile: Int, keep: Bool) throws {
        let hidden = randomParameter([5, 4], seed: 1), table = randomParameter([7, 4], seed: 2)
        let targets: [Int32] = [0, 6, 3, 3, 5]
        func run(_ tiled: Bool) throws -> (Float, Tensor, Tensor) {
            hidden.zeroGradient(); table.zeroGradient()
            let tape = Tape()
            let h = tape.parameter(hidden), t = tape.parameter(table)
            let loss = tiled ? tape.tiledSoftmaxCrossEntropy(h, table: t, targets: targets, tile: tile, keepUpTo: keep ? 35 : 34)
                : tape.softmaxCrossEntropy(tape.matmul(h, t, transposeB: true), targets: targets)
            try tape.backward(loss)
            return (loss.value.scalar, hidden.materializedGradient(), table.materializedGradient())
        }
        let (wholeLoss, wholeH, wholeT) = try run(false), (tiledLoss, tiledH, tiledT) = try run(true)
        #expect(abs(wholeLoss - tiledLoss) < 1e-5)
        for i in 0..<wholeH.count { #expect(abs(wholeH[flat: i] - tiledH[flat: i]) < 1e-5, "hidden \(i)") }
        for i in 0..<wholeT.count { #expect(abs(wholeT[flat: i] - tiledT[flat: i]) < 1e-5, "table \(i)") }
    }

    @Test("301 positions x 700 items on two worker threads (a tile of 512, then a partial one) give the whole score matrix's loss and gradients",
          arguments: [false, true])
    func largerOnTwoThreads(keep: Bool) throws {
        let hidden = randomParameter([301, 8], seed: 11), table = randomParameter([700, 8], seed: 12)
        var rng = SeededGenerator(seed: 13)
        let targets = (0..<301).map { _ in Int32(rng.nextInt(below: 700)) }
        MathThreads.setBLASThreads(2)
        defer { MathThreads.setBLASThreads(1) }
        func run(_ tiled: Bool) throws -> (Float, Tensor, Tensor) {
            hidden.zeroGradient(); table.zeroGradient()
            let tape = Tape()
            let h = tape.parameter(hidden), t = tape.parameter(table)
            let loss = tiled ? tape.tiledSoftmaxCrossEntropy(h, table: t, targets: targets, tile: 512, keepUpTo: keep ? 301 * 700 : 0)
                : tape.softmaxCrossEntropy(tape.matmul(h, t, transposeB: true), targets: targets)
            try tape.backward(loss)
            return (loss.value.scalar, hidden.materializedGradient(), table.materializedGradient())
        }
        let (wholeLoss, wholeH, wholeT) = try run(false), (tiledLoss, tiledH, tiledT) = try run(true)
        #expect(abs(wholeLoss - tiledLoss) < 1e-5)
        // The two threads' shares are combined in a fixed order: a second run is bit-identical.
        let (againLoss, againH, againT) = try run(true)
        #expect(againLoss == tiledLoss && againH.scalars == tiledH.scalars && againT.scalars == tiledT.scalars)
        #expect((0..<wholeH.count).allSatisfy { abs(wholeH[flat: $0] - tiledH[flat: $0]) < 1e-6 })
        #expect((0..<wholeT.count).allSatisfy { abs(wholeT[flat: $0] - tiledT[flat: $0]) < 1e-6 })
    }

    @Test("its gradients match finite differences, exponentials kept or recomputed", arguments: [0, 27])
    func finiteDifferences(keepUpTo: Int) throws {
        let hidden = randomParameter([3, 4], seed: 5), table = randomParameter([9, 4], seed: 6)
        try expectGradientsMatch([hidden, table]) { tape in
            tape.reshape(tape.tiledSoftmaxCrossEntropy(tape.parameter(hidden), table: tape.parameter(table), targets: [8, 0, 4], tile: 4,
                                                       keepUpTo: keepUpTo), [1])
        }
    }

    @Test("large scores do not overflow: the running maximum keeps every exponential in range")
    func largeScores() {
        let tape = Tape()
        let hidden = tape.constant(Tensor(shape: [1, 1], scalars: [100]))
        let table = tape.constant(Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]))
        // Scores 100, 200, 300, 400 in tiles of one: −log softmax at 400 = log(1 + e^-100 + …) ≈ 0; at 300 ≈ 100.
        #expect(abs(tape.tiledSoftmaxCrossEntropy(hidden, table: table, targets: [3], tile: 1).value.scalar) < 1e-5)
        #expect(abs(tape.tiledSoftmaxCrossEntropy(hidden, table: table, targets: [2], tile: 1).value.scalar - 100) < 1e-3)
    }
}
