import Autograd
import Layers
import Optimizers

/// Micro-benchmarks of the ops and layers the workloads spend their time in:
/// row gathers and their scatter, embedding bags, softmax cross-entropy over
/// a catalogue, a GRU over a window, an attention block, optimizer steps.
public enum ModelMicroBenchmarks {
    /// Runs them; `quick` shrinks repetitions and sizes to a smoke run.
    public static func run(quick: Bool) -> [BenchmarkResult] {
        var rng = SeededGenerator(seed: 3)
        let reps = quick ? 1 : 10, trials = quick ? 3 : 5
        var results: [BenchmarkResult] = []
        func time(_ name: String, items: Double, unit: String, _ body: () throws -> Void) {
            let s = medianSecondsPerCall(trials: trials, repetitions: reps) { try? body() }
            results.append(BenchmarkResult(name: name, secondsPerCall: s, throughput: items / s, unit: unit))
        }
        // Gather 1,024 rows of a 50,000 x 64 table, forward and row-sparse backward.
        let table = Parameter(.normal(shape: [quick ? 5_000 : 50_000, 64], std: 0.1, using: &rng))
        let ids = (0..<1024).map { _ in Int32(rng.nextInt(below: table.rowCount)) }
        time("gather + sparse scatter 1024 rows of \(table.rowCount)x64", items: 1024, unit: "rows/s") {
            let tape = Tape()
            try tape.backward(tape.sum(tape.gather(table, ids)))
            table.zeroGradient()
        }
        // Embedding bag: 64 bags of 20 ids, mean.
        let bagIds = (0..<1280).map { _ in Int32(rng.nextInt(below: table.rowCount)) }
        let offsets = (0..<64).map { $0 * 20 }
        time("embedding bag mean 64 bags x 20 ids, fwd+bwd", items: 1280, unit: "ids/s") {
            let tape = Tape()
            try tape.backward(tape.sum(tape.embeddingBag(table, indices: bagIds, offsets: offsets)))
            table.zeroGradient()
        }
        // Softmax cross-entropy over a catalogue.
        for classes in quick ? [1_682] : [1_682, 50_000] {
            let rows = quick ? 256 : (classes > 10_000 ? 256 : 6_400)
            let logits = Parameter(.normal(shape: [rows, classes], using: &rng))
            let targets = (0..<rows).map { _ in Int32(rng.nextInt(below: classes)) }
            time("softmax CE \(rows) rows x \(classes) classes, fwd+bwd", items: Double(rows * classes), unit: "logits/s") {
                let tape = Tape()
                try tape.backward(tape.softmaxCrossEntropy(tape.parameter(logits), targets: targets))
                logits.zeroGradient()
            }
        }
        // GRU and an attention block over a [128, 50, 64] batch.
        let batch = quick ? 16 : 128
        let x = Parameter(.normal(shape: [batch, 50, 64], using: &rng))
        let gru = GRU(inputs: 64, hidden: 64, rng: &rng)
        time("GRU \(batch) x 50 steps x 64, fwd+bwd", items: Double(batch * 50), unit: "positions/s") {
            let tape = Tape()
            try tape.backward(tape.sum(gru(tape.parameter(x))))
            gru.zeroGradients(); x.zeroGradient()
        }
        let block = SelfAttentionBlock(width: 64, heads: 1, dropout: 0, rng: &rng)
        let mask = AttentionMask(keyIsPadding: [Bool](repeating: false, count: batch * 50), length: 50)
        time("attention block \(batch) x 50 x 64, fwd+bwd", items: Double(batch * 50), unit: "positions/s") {
            let tape = Tape()
            try tape.backward(tape.sum(block(tape.parameter(x), mask: mask)))
            block.zeroGradients(); x.zeroGradient()
        }
        // Adam: a dense step over the whole table, and a touched-rows step over 1,024 rows.
        let dense = Optimizer.adam([table], learningRate: 0.001)
        time("Adam dense step \(table.rowCount)x64", items: Double(table.value.count), unit: "params/s") {
            let tape = Tape()
            try tape.backward(tape.sum(tape.parameter(table)))
            dense.step(); table.zeroGradient()
        }
        let sparse = Optimizer.adam([table], learningRate: 0.001)
        time("Adam touched-rows step 1024 of \(table.rowCount) rows", items: 1024 * 64, unit: "params/s") {
            let tape = Tape()
            try tape.backward(tape.sum(tape.gather(table, ids)))
            sparse.step(); table.zeroGradient()
        }
        return results
    }
}
