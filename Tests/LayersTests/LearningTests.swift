import Autograd
import Layers
import Optimizers
import Testing

@Suite("Layers learn small problems")
struct LearningTests {
    @Test("a tiny MLP learns XOR")
    func xor() throws {
        var rng = SeededGenerator(seed: 3)
        let mlp = MLP(widths: [2, 8, 1], rng: &rng)
        let optimizer = Optimizer.adam(mlp.parameters, learningRate: 0.05)
        let inputs = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let targets = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        var lastLoss: Float = .infinity
        for _ in 0..<500 {
            let tape = Tape()
            let loss = tape.binaryCrossEntropyWithLogits(mlp(tape.constant(inputs)), targets: targets)
            lastLoss = loss.value.scalar
            optimizer.zeroGradients()
            try tape.backward(loss)
            optimizer.step()
        }
        let logits = mlp(Tape().constant(inputs)).value.scalars
        #expect(lastLoss < 0.05)
        #expect(logits[0] < 0 && logits[1] > 0 && logits[2] > 0 && logits[3] < 0, "logits \(logits)")
    }

    @Test("Embedding + Linear fits a planted rank-3 matrix through sparse gradients")
    func plantedLowRank() throws {
        var rng = SeededGenerator(seed: 11)
        let rows = 40, columns = 12, rank = 3
        let u = Tensor.normal(shape: [rows, rank], using: &rng), v = Tensor.normal(shape: [rank, columns], using: &rng)
        let plant = Tape()
        let truth = plant.matmul(plant.constant(u), plant.constant(v)).value
        let embedding = Embedding(count: rows, dimension: rank, std: 0.1, rng: &rng)
        let head = Linear(inputs: rank, outputs: columns, bias: false, rng: &rng)
        let optimizer = Optimizer.adam(embedding.parameters + head.parameters, learningRate: 0.03)
        var loss: Float = .infinity
        for step in 0..<1500 {
            let batch = (0..<16).map { _ in Int32(rng.nextInt(below: rows)) }
            let target = Tensor(shape: [16, columns], scalars: batch.flatMap { r in (0..<columns).map { truth[Int(r), $0] } })
            let tape = Tape()
            let l = tape.meanSquaredError(head(embedding(batch, on: tape)), tape.constant(target))
            optimizer.zeroGradients()
            try tape.backward(l)
            #expect(embedding.table.denseGradient == nil, "step \(step): the table must get a row-sparse gradient only")
            optimizer.step()
        }
        let tape = Tape()
        loss = tape.meanSquaredError(head(embedding((0..<Int32(rows)).map { $0 }, on: tape)), tape.constant(truth)).value.scalar
        let variance = truth.scalars.map { $0 * $0 }.reduce(0, +) / Float(truth.count)
        #expect(loss < 0.01 * variance, "MSE \(loss) vs signal variance \(variance)")
    }

    @Test("the same seed trains to bit-identical weights")
    func determinism() throws {
        func train() throws -> [Float] {
            var rng = SeededGenerator(seed: 21)
            let mlp = MLP(widths: [3, 5, 2], dropout: 0.2, rng: &rng)
            let optimizer = Optimizer.adam(mlp.parameters, learningRate: 0.01)
            let x = Tensor.normal(shape: [8, 3], using: &rng)
            for _ in 0..<20 {
                let tape = Tape()
                let loss = tape.softmaxCrossEntropy(mlp(tape.constant(x)), targets: [0, 1, 1, 0, 1, 0, 0, 1])
                optimizer.zeroGradients()
                try tape.backward(loss)
                optimizer.step()
            }
            return mlp.parameters.flatMap { $0.value.scalars }
        }
        #expect(try train() == train())
    }
}
