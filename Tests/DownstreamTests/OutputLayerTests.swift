import Autograd
import Downstream
import Layers
import Testing

@Suite("The next-item output layer")
struct OutputLayerTests {
    @Test("above `tiledAbove` rows the full softmax is computed tile by tile and equals the whole score matrix's")
    func tiledAboveTheThreshold() throws {
        var rng = SeededGenerator(seed: 3)
        let rows = NextItemModel.tiledAbove + 500
        let model = NextItemModel(config: NextItemConfig(encoder: .gru, rows: rows, dimension: 4, maxLength: 3),
                                  items: Embedding(count: rows, dimension: 4, std: 0.5, paddingIndex: 0, rng: &rng), rng: &rng)
        let targets: [Int32] = [1, Int32(rows - 1), 2100]
        let profile = OpProfile()
        func loss(_ body: (Tape, Variable) -> Variable) throws -> (Float, Tensor) {
            model.items.table.zeroGradient()
            let tape = Tape(profile: profile)
            let hidden = tape.gather(model.hiddenStates([[5, 6, 7]], on: tape), [0, 1, 2])
            let value = body(tape, hidden)
            try tape.backward(value)
            return (value.value.scalar, model.items.table.materializedGradient())
        }
        let (tiled, tiledGradient) = try loss { _, h in model.fullSoftmaxLoss(h, targets: targets) }
        #expect(profile.ranked.contains { $0.name == "tiledSoftmaxCrossEntropy" }, "the model's loss took the tiled op")
        let (whole, wholeGradient) = try loss { tape, h in tape.softmaxCrossEntropy(model.scores(h), targets: targets) }
        #expect(abs(tiled - whole) < 1e-5)
        var worst: Float = 0
        for i in 0..<wholeGradient.count { worst = max(worst, abs(wholeGradient[flat: i] - tiledGradient[flat: i])) }
        #expect(worst < 1e-6, "largest gradient difference \(worst)")
    }
}
