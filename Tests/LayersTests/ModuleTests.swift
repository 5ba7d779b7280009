import Autograd
import Layers
import Optimizers
import Testing

@Suite("Modules: names, freezing, modes, padding")
struct ModuleTests {
    @Test("parameters are named by path and frozen by name or prefix")
    func namesAndFreezing() {
        var rng = SeededGenerator(seed: 1)
        let mlp = MLP(widths: [4, 3, 2], dropout: 0.1, rng: &rng)
        #expect(mlp.namedParameters().map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        #expect(mlp.parameter(named: "1.weight")?.value.shape == [2, 3])
        #expect(mlp.freeze("0") == 2)
        #expect(mlp.parameter(named: "0.bias")!.isFrozen && !mlp.parameter(named: "1.bias")!.isFrozen)
        #expect(mlp.freeze("0.weight") == 1 && mlp.unfreeze("0") == 2)
        #expect(mlp.freeze("nothing") == 0)
    }

    @Test("eval mode turns dropout into the identity")
    func trainEval() {
        var rng = SeededGenerator(seed: 2)
        let mlp = MLP(widths: [6, 64, 3], dropout: 0.5, rng: &rng)
        let x = Tensor.normal(shape: [5, 6], using: &rng)
        mlp.setTraining(false)
        let a = mlp(Tape().constant(x)).value.scalars, b = mlp(Tape().constant(x)).value.scalars
        #expect(a == b)
        mlp.setTraining(true)
        #expect(mlp(Tape().constant(x)).value.scalars != a)
    }

    @Test("padding row stays zero and frozen rows keep their pretrained values under Adam with weight decay")
    func rowFreezing() throws {
        var rng = SeededGenerator(seed: 4)
        let pretrained = Tensor.normal(shape: [5, 3], using: &rng)
        let embedding = Embedding(pretrained: pretrained, paddingIndex: 0)
        embedding.setTrainableRows([true, false, true, false, true])
        let before = embedding.table.value
        let optimizer = Optimizer(rule: AdamRule(decoupledWeightDecay: true),
                                  groups: [ParameterGroup([embedding.table], learningRate: 0.1, weightDecay: 0.1)])
        for _ in 0..<5 {
            let tape = Tape()
            let loss = tape.sum(tape.square(embedding([0, 1, 2, 3, 4, 2], on: tape)))
            optimizer.zeroGradients()
            try tape.backward(loss)
            optimizer.step()
        }
        let after = embedding.table.value
        for j in 0..<3 {
            #expect(after[0, j] == 0)
            #expect(after[1, j] == before[1, j] && after[3, j] == before[3, j])
            #expect(after[2, j] != before[2, j] && after[4, j] != before[4, j])
        }
    }

    @Test("EmbeddingBag and LayerNorm layers match their ops")
    func bagAndNorm() {
        var rng = SeededGenerator(seed: 5)
        let bag = EmbeddingBag(embedding: Embedding(count: 4, dimension: 2, rng: &rng), mode: .sum)
        let tape = Tape()
        let out = bag([1, 2, 3], offsets: [0, 2], on: tape).value
        let t = bag.embedding.table.value
        #expect(abs(out[0, 1] - (t[1, 1] + t[2, 1])) < 1e-6 && abs(out[1, 0] - t[3, 0]) < 1e-6)
        let norm = LayerNorm(dimension: 4)
        let y = norm(tape.constant(Tensor(shape: [1, 4], scalars: [1, 2, 3, 4]))).value.scalars
        #expect(abs(y.reduce(0, +)) < 1e-5)
        #expect(abs(y[3] - 1.341635) < 1e-4)  // (4 - 2.5) / sqrt(1.25 + 1e-5)
    }
}
