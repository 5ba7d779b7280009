import Archive
import Autograd
import Downstream
import Foundation
import Layers
import Testing

/// Rescaling pretrained rows and gradual unfreezing, checked against what
/// they promise: the random start's distribution, unit rows, a table that
/// stays frozen for exactly the first part of training.
@Suite("Warm start: rescaled rows and gradual unfreezing")
struct RescaleAndGradualTests {
    /// 400 rows of width 6 with a large shared offset and one dominant direction, as word2vec tables have.
    private func anisotropic() throws -> KeyedEmbeddings {
        var rng = SeededGenerator(seed: 8)
        var scalars: [Float] = []
        for _ in 0..<400 {
            let common = 2 * rng.nextNormal()
            for j in 0..<6 { scalars.append(0.5 + common * (j == 0 ? 1 : 0.3) + 0.05 * Float(j + 1) * rng.nextNormal()) }
        }
        return try KeyedEmbeddings(keys: (0..<400).map { "k\($0)" }, vectors: Tensor(shape: [400, 6], scalars: scalars))
    }

    @Test("LAPACK's symmetric eigen-decomposition: A v = λ v for every pair, values ascending")
    func eigen() throws {
        let a: [Double] = [4, 1, 2, 1, 3, 0, 2, 0, 5]
        let (values, vectors) = try #require(SymmetricEigen.decompose(a, n: 3))
        #expect(values == values.sorted())
        for k in 0..<3 {
            for i in 0..<3 {
                let av = (0..<3).map { a[i * 3 + $0] * vectors[k * 3 + $0] }.reduce(0, +)
                #expect(abs(av - values[k] * vectors[k * 3 + i]) < 1e-9)
            }
        }
    }

    @Test("init: the rows start centred with covariance close to σ² I (the random start's); unit: every row has length 1; none: as stored")
    func rescalePolicies() throws {
        let archive = try anisotropic()
        let keys = archive.keys
        func table(_ policy: RescalePolicy) throws -> Tensor {
            var rng = SeededGenerator(seed: 1)
            return try WarmStart.embedding(keys: keys, paddingRow: nil, archive: archive, dimension: 6, mode: .finetuned, rescale: policy,
                                           randomStd: 0.1, rng: &rng).0.table.value
        }
        let initial = try table(.initial)
        for i in 0..<6 {
            let mean = (0..<400).map { initial[$0, i] }.reduce(0, +) / 400
            #expect(abs(mean) < 1e-4, "column \(i) mean \(mean)")
            for j in 0..<6 {
                let c = (0..<400).map { initial[$0, i] * initial[$0, j] }.reduce(0, +) / 400
                #expect(abs(c - (i == j ? 0.01 : 0)) < 0.0015, "covariance [\(i), \(j)] = \(c)")
            }
        }
        let unit = try table(.unit)
        for r in 0..<400 { #expect(abs((0..<6).map { unit[r, $0] * unit[r, $0] }.reduce(0, +) - 1) < 1e-5) }
        #expect(try table(.none).scalars == archive.vectors.scalars)
    }

    @Test("auto: rows far smaller than the random start's are whitened (init); rows of a similar or larger spread are kept")
    func autoRescale() throws {
        #expect(RescalePolicy.auto.resolved(archiveStd: 0.012, randomStd: 0.1) == .initial)
        #expect(RescalePolicy.auto.resolved(archiveStd: 0.255, randomStd: 0.1) == .none)
        #expect(RescalePolicy.unit.resolved(archiveStd: 0.012, randomStd: 0.1) == .unit)
        let big = try anisotropic()
        var rng = SeededGenerator(seed: 1)
        let kept = try WarmStart.embedding(keys: big.keys, paddingRow: nil, archive: big, dimension: 6, mode: .finetuned, rescale: .auto,
                                           randomStd: 0.1, rng: &rng)
        #expect(kept.0.table.value.scalars == big.vectors.scalars && kept.1.startStd == kept.1.archiveStd)
        let small = try KeyedEmbeddings(keys: big.keys, vectors: Tensor(shape: [400, 6], scalars: big.vectors.scalars.map { $0 * 0.001 }))
        let scaled = try WarmStart.embedding(keys: big.keys, paddingRow: nil, archive: small, dimension: 6, mode: .finetuned, rescale: .auto,
                                             randomStd: 0.1, rng: &rng).1
        #expect(abs((scaled.startStd ?? 0) - 0.1) < 1e-3, "std \(String(describing: scaled.startStd))")
    }

    @Test("gradual: the embedding table is unchanged for exactly the frozen steps, then trains; the rest trains throughout")
    func gradualClassifier() throws {
        var rng = SeededGenerator(seed: 3)
        let config = ClassifierConfig(head: .binary, labels: ["ham", "spam"], dimension: 4, hidden: [8])
        let model = Classifier(config: config, embedding: Embedding(count: 6, dimension: 4, std: 0.1, rng: &rng), rng: &rng)
        let examples = ClassificationExamples(bags: (0..<32).map { [Int32($0 % 6), Int32(($0 + 1) % 6)] },
                                              targets: (0..<32).map { [Float($0 % 2)] })
        var training = ClassifierTrainingConfig()
        training.epochs = 4; training.batchSize = 32; training.frozenSteps = 2; training.learningRate = 0.05
        let start = model.bag.embedding.table.value, startHead = model.mlp.parameters[0].value
        var tables: [Tensor] = [], heads: [Tensor] = []
        try ClassifierTrainer.train(model, examples: examples, config: training, validate: nil) { _ in
            tables.append(model.bag.embedding.table.value); heads.append(model.mlp.parameters[0].value)
        }
        #expect(tables.count == 4)  // one step per epoch
        #expect(tables[0].scalars == start.scalars && tables[1].scalars == start.scalars)
        #expect(tables[2].scalars != start.scalars && tables[3].scalars != tables[2].scalars)
        #expect(heads[0].scalars != startHead.scalars && heads[1].scalars != heads[0].scalars)
    }
}
