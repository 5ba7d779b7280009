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
        return results
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
