import Archive
import Autograd
import Datasets
import Pretraining
import Testing

/// Sentences drawn from two clusters of items: 0..<10 ("a0"…) and 10..<20 ("b0"…).
func clusteredSentences(count: Int, length: Int, seed: UInt64) -> [[String]] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { s in
        let prefix = s % 2 == 0 ? "a" : "b"
        return (0..<length).map { _ in prefix + String(rng.nextInt(below: 10)) }
    }
}

/// The fraction of each key's `k` nearest neighbours that share its cluster (first letter).
func clusterPurity(_ e: KeyedEmbeddings, k: Int = 5) -> Double {
    var same = 0, total = 0
    for key in e.keys {
        for n in e.nearest(to: key, k: k) ?? [] { same += n.key.first == key.first ? 1 : 0; total += 1 }
    }
    return Double(same) / Double(max(total, 1))
}

@Suite("Skip-gram with negative sampling")
struct SkipGramTests {
    @Test("one fused step equals the same SGD step on the tape")
    func fusedEqualsTape() throws {
        var config = SkipGramConfig()
        config.dimension = 8
        let warm = SkipGramTrainer(config: config, counts: [5, 4, 3, 2, 1, 1])
        // the trainer's own starting tables (the output table starts at zero, as word2vec's does)
        let syn0 = Parameter(Tensor(shape: warm.input.shape, scalars: warm.input.scalars))
        let syn1 = Parameter(Tensor(shape: warm.output.shape, scalars: warm.output.scalars))
        let startRow = (0..<8).map { warm.input[2, $0] }
        // Two steps: the first moves the output rows off zero, so the second also moves the input row.
        for (row, positive, negatives) in [(2, Int32(4), [Int32(0), 5, 1]), (2, Int32(0), [Int32(4), 3, 5])] {
            let alpha: Float = 0.05
            let loss = warm.step(inputRow: row, positive: positive, negatives: negatives, learningRate: alpha)
            let tape = Tape()
            let x = tape.gather(syn0, [Int32(row)])
            let targets = [positive] + negatives
            let logits = tape.matmul(tape.gather(syn1, targets), x, transposeB: true)
            let labels = Tensor(shape: [4, 1], scalars: [1, 0, 0, 0])
            let tapeLoss = tape.binaryCrossEntropyWithLogits(logits, targets: labels) * Float(targets.count)
            try tape.backward(tapeLoss)
            #expect(abs(tapeLoss.value.scalar - loss) < 1e-4)
            for p in [syn0, syn1] {
                let g = p.materializedGradient()
                p.value.withUnsafeMutableBufferPointer { v in for i in 0..<v.count { v[i] -= alpha * g[flat: i] } }
                p.zeroGradient()
            }
            for i in 0..<48 {
                #expect(abs(warm.input[flat: i] - syn0.value[flat: i]) < 1e-5, "input element \(i)")
                #expect(abs(warm.output[flat: i] - syn1.value[flat: i]) < 1e-5, "output element \(i)")
            }
        }
        #expect((0..<8).contains { warm.output[4, $0] != 0 } && (0..<8).contains { warm.input[2, $0] != startRow[$0] })
    }

    @Test("one thread is bit-identical across runs; another seed differs")
    func repeatable() {
        let corpus = SkipGramCorpus(sentences: clusteredSentences(count: 60, length: 12, seed: 1), minimumCount: 1)
        func run(seed: UInt64) -> [Float] {
            var c = SkipGramConfig()
            c.dimension = 16; c.epochs = 3; c.threads = 1; c.seed = seed; c.minimumCount = 1
            let t = SkipGramTrainer(config: c, counts: corpus.counts)
            t.train(corpus)
            return t.input.scalars + t.output.scalars
        }
        #expect(run(seed: 7) == run(seed: 7))
        #expect(run(seed: 7) != run(seed: 8))
    }

    @Test("items that co-occur become nearest neighbours (1 and 2 threads, with subsampling, with markets)")
    func recoversClusters() throws {
        let corpus = SkipGramCorpus(sentences: clusteredSentences(count: 400, length: 15, seed: 2), minimumCount: 1)
        for (threads, subsample, markets) in [(1, 0.0, false), (2, 0.0, false), (1, 1e-2, false), (1, 0.0, true)] {
            var c = SkipGramConfig()
            c.dimension = 16; c.epochs = 5; c.threads = threads; c.subsample = subsample; c.minimumCount = 1
            let m: [Int32]? = markets ? corpus.keys.map { $0.first == "a" ? 0 : 1 } : nil
            let t = SkipGramTrainer(config: c, counts: corpus.counts, markets: m)
            var losses: [Double] = []
            t.train(corpus) { losses.append($0.loss) }
            #expect(losses.last! < losses.first!)
            let purity = clusterPurity(try KeyedEmbeddings(keys: corpus.keys, vectors: t.input))
            #expect(purity > 0.95, "threads \(threads), subsample \(subsample), markets \(markets): purity \(purity)")
        }
    }

    @Test("subsampling keeps frequent words with word2vec's probability")
    func subsampling() {
        var corpus = SkipGramCorpus(sentences: [["x"]], minimumCount: 1)
        corpus.counts = [1000]
        corpus.tokens = Array(repeating: 0, count: 100_000)
        corpus.offsets = [0, 100_000]
        // threshold = 1e-3 * 100000 = 100; keep = (sqrt(1000/100) + 1) * 100/1000 = 0.4162
        let keep = SkipGramTrainerProbe.keep(corpus, subsample: 1e-3)
        #expect(abs(keep - 0.41623) < 1e-4)
    }
}
