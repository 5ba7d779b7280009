import Autograd
import CBLAS

/// Micro-benchmarks of the autograd core: the tape's cost over raw
/// `cblas_sgemm`, and element-wise ops against memory bandwidth.
public enum AutogradMicroBenchmarks {
    /// Runs every micro-benchmark; `quick` shrinks the repetitions to a smoke run.
    public static func run(quick: Bool) -> [BenchmarkResult] {
        MathThreads.setBLASThreads(1)
        var results: [BenchmarkResult] = []
        let sizes = quick ? [(256, 64, 64)] : [(256, 64, 64), (1024, 64, 64), (1024, 256, 256), (1024, 1024, 1024)]
        for (m, k, n) in sizes { results += matmul(m: m, k: k, n: n, quick: quick) }
        results += elementwise(count: quick ? 1 << 16 : 1 << 22, quick: quick)
        results += outputLayer(positions: quick ? 256 : 2048, rows: quick ? 2500 : 9341, quick: quick)
        return results
    }

    /// The next-item output layer at a W7 10k catalogue's size: the tiled
    /// softmax cross-entropy forward and backward (6·N·D·rows counted FLOPs,
    /// exponentials kept) beside its three products alone as raw `sgemm`
    /// (the floor; the difference is the softmax's element-wise work).
    private static func outputLayer(positions n: Int, rows: Int, quick: Bool) -> [BenchmarkResult] {
        let d = 64
        var rng = SeededGenerator(seed: 3)
        let hidden = Parameter(.normal(shape: [n, d], std: 0.3, using: &rng)), table = Parameter(.normal(shape: [rows, d], std: 0.3, using: &rng))
        let targets = (0..<n).map { _ in Int32(rng.nextInt(below: rows)) }
        var scores = Tensor(zeros: [n, rows]), dHidden = Tensor(zeros: [n, d]), dTable = Tensor(zeros: [rows, d])
        let flops = 6.0 * Double(n * d * rows), reps = quick ? 1 : 5, trials = quick ? 3 : 7
        let products = medianSecondsPerCall(trials: trials, repetitions: reps) {
            let (h, t) = (hidden.value.storage.pointer, table.value.storage.pointer)
            scores.withUnsafeMutableBufferPointer { s in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(rows), Int32(d), 1, h, Int32(d), t, Int32(d), 0, s.baseAddress!, Int32(rows))
                dHidden.withUnsafeMutableBufferPointer { dh in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(rows), 1, s.baseAddress!, Int32(rows), t, Int32(d), 0, dh.baseAddress!, Int32(d))
                }
                dTable.withUnsafeMutableBufferPointer { dt in
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(rows), Int32(d), Int32(n), 1, s.baseAddress!, Int32(rows), h, Int32(d), 0, dt.baseAddress!, Int32(d))
                }
            }
        }
        let tiled = medianSecondsPerCall(trials: trials, repetitions: reps) {
            let tape = Tape()
            let loss = tape.tiledSoftmaxCrossEntropy(tape.parameter(hidden), table: tape.parameter(table), targets: targets,
                                                     tile: 256, keepUpTo: n * rows)
            try? tape.backward(loss)
            hidden.zeroGradient(); table.zeroGradient()
        }
        let label = "\(n) positions x \(rows) items, dim \(d)"
        return [
            BenchmarkResult(name: "output layer: 3 raw sgemm, \(label)", secondsPerCall: products, throughput: flops / products / 1e9, unit: "GFLOP/s"),
            BenchmarkResult(name: "output layer: tiled softmax CE fwd+bwd, \(label)", secondsPerCall: tiled, throughput: flops / tiled / 1e9, unit: "GFLOP/s"),
        ]
    }

    private static func matmul(m: Int, k: Int, n: Int, quick: Bool) -> [BenchmarkResult] {
        var rng = SeededGenerator(seed: 1)
        let a = Tensor.normal(shape: [m, k], using: &rng), b = Tensor.normal(shape: [k, n], using: &rng)
        var c = Tensor(zeros: [m, n])
        let flops = 2.0 * Double(m * k * n)
        let reps = quick ? 3 : max(3, Int(2e9 / flops))
        let trials = quick ? 3 : 7
        let raw = medianSecondsPerCall(trials: trials, repetitions: reps) {
            c.withUnsafeMutableBufferPointer { cp in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                            a.storage.pointer, Int32(k), b.storage.pointer, Int32(n), 0, cp.baseAddress!, Int32(n))
            }
        }
        let taped = medianSecondsPerCall(trials: trials, repetitions: reps) {
            let tape = Tape()
            _ = tape.matmul(tape.constant(a), tape.constant(b))
        }
        let pa = Parameter(a), pb = Parameter(b)
        let backward = medianSecondsPerCall(trials: trials, repetitions: reps) {
            let tape = Tape()
            let out = tape.matmul(tape.parameter(pa), tape.parameter(pb))
            try? tape.backward(tape.sum(out))
            pa.zeroGradient(); pb.zeroGradient()
        }
        let label = "\(m)x\(k)x\(n)"
        return [
            BenchmarkResult(name: "sgemm raw \(label)", secondsPerCall: raw, throughput: flops / raw / 1e9, unit: "GFLOP/s"),
            BenchmarkResult(name: "matmul on tape \(label)", secondsPerCall: taped, throughput: flops / taped / 1e9, unit: "GFLOP/s"),
            BenchmarkResult(name: "matmul fwd+bwd on tape \(label) (3 sgemm + sum)", secondsPerCall: backward,
                            throughput: 3 * flops / backward / 1e9, unit: "GFLOP/s"),
        ]
    }

    private static func elementwise(count: Int, quick: Bool) -> [BenchmarkResult] {
        var rng = SeededGenerator(seed: 2)
        let x = Tensor.normal(shape: [count / 64, 64], using: &rng), y = Tensor.normal(shape: [count / 64, 64], using: &rng)
        let row = Tensor.normal(shape: [64], using: &rng)
        var out = Tensor(zeros: [count / 64, 64])
        let reps = quick ? 2 : 20, trials = quick ? 3 : 7
        let bytes3 = Double(3 * count * 4), bytes2 = Double(2 * count * 4)
        let rawAdd = medianSecondsPerCall(trials: trials, repetitions: reps) {
            out.withUnsafeMutableBufferPointer { o in
                let p = x.storage.pointer, q = y.storage.pointer
                for i in 0..<count { o[i] = p[i] + q[i] }
            }
        }
        let tapeAdd = medianSecondsPerCall(trials: trials, repetitions: reps) {
            let tape = Tape()
            _ = tape.add(tape.constant(x), tape.constant(y))
        }
        let tapeRowAdd = medianSecondsPerCall(trials: trials, repetitions: reps) {
            let tape = Tape()
            _ = tape.add(tape.constant(x), tape.constant(row))
        }
        let tapeRelu = medianSecondsPerCall(trials: trials, repetitions: reps) {
            let tape = Tape()
            _ = tape.relu(tape.constant(x))
        }
        func gbps(_ bytes: Double, _ s: Double) -> Double { bytes / s / 1e9 }
        return [
            BenchmarkResult(name: "add raw loop \(count) floats", secondsPerCall: rawAdd, throughput: gbps(bytes3, rawAdd), unit: "GB/s"),
            BenchmarkResult(name: "add on tape \(count) floats", secondsPerCall: tapeAdd, throughput: gbps(bytes3, tapeAdd), unit: "GB/s"),
            BenchmarkResult(name: "add row-broadcast on tape \(count) floats", secondsPerCall: tapeRowAdd, throughput: gbps(bytes2, tapeRowAdd), unit: "GB/s"),
            BenchmarkResult(name: "relu on tape \(count) floats", secondsPerCall: tapeRelu, throughput: gbps(bytes2, tapeRelu), unit: "GB/s"),
        ]
    }
}
