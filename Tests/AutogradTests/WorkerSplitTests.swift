import Autograd
import Testing

/// Products big enough to be split across the worker pool, and the GRU's
/// batch split into runs of rows, give what one thread gives: each part is
/// computed whole by one call, so only the split could go wrong.
@Suite("Products and the GRU split across worker threads", .serialized)
struct WorkerSplitTests {
    /// `tape.matmul` forward and both gradients (against an upstream of ones) on `threads` threads.
    private func product(_ a: Parameter, _ b: Parameter, transposeA: Bool, transposeB: Bool, threads: Int) throws -> [[Float]] {
        MathThreads.setBLASThreads(threads)
        defer { MathThreads.setBLASThreads(1) }
        a.zeroGradient(); b.zeroGradient()
        let tape = Tape()
        let c = tape.matmul(tape.parameter(a), tape.parameter(b), transposeA: transposeA, transposeB: transposeB)
        try tape.backward(tape.sum(c))
        return [c.value.scalars, a.materializedGradient().scalars, b.materializedGradient().scalars]
    }

    @Test("a tall product (split by rows) and a wide one (split by columns), each way of transposing, equal one thread's and a Float64 sum",
          arguments: [(300, 200, 40), (40, 200, 300)], [false, true])
    func products(shape: (Int, Int, Int), transposed: Bool) throws {
        let (m, k, n) = shape  // 2·m·n·k = 4.8 MFLOP: above the split threshold
        let a = randomParameter(transposed ? [k, m] : [m, k], seed: 21), b = randomParameter(transposed ? [n, k] : [k, n], seed: 22)
        let one = try product(a, b, transposeA: transposed, transposeB: transposed, threads: 1)
        let two = try product(a, b, transposeA: transposed, transposeB: transposed, threads: 2)
        for (part, name) in ["c", "da", "db"].enumerated() {
            #expect(one[part].count == two[part].count)
            let worst = zip(one[part], two[part]).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            #expect(worst < 1e-5, "\(name): \(worst)")
        }
        let av = a.value, bv = b.value
        for (i, j) in [(0, 0), (m - 1, n - 1), (m / 2, n / 3), (17, n - 2)] {
            var sum = 0.0
            for p in 0..<k {
                sum += Double(transposed ? av[p, i] : av[i, p]) * Double(transposed ? bv[j, p] : bv[p, j])
            }
            #expect(abs(Double(two[0][i * n + j]) - sum) < 1e-3, "c[\(i), \(j)]")
        }
    }

    @Test("a GRU over 400 sequences (two runs of rows) gives one thread's states and gradients, and the same bits twice")
    func gru() throws {
        let (b, t, e, h) = (400, 8, 8, 16)  // b·t·3h = 153,600 elements: above the row split's threshold
        let x = randomParameter([b, t, e], seed: 31)
        let weights = [randomParameter([3 * h, e], seed: 32), randomParameter([3 * h, h], seed: 33),
                       randomParameter([3 * h], seed: 34), randomParameter([3 * h], seed: 35)]
        let upstream = randomParameter([b, t, h], seed: 36).value
        func run(_ threads: Int) throws -> [[Float]] {
            MathThreads.setBLASThreads(threads)
            defer { MathThreads.setBLASThreads(1) }
            for p in [x] + weights { p.zeroGradient() }
            let tape = Tape()
            let w = weights.map { tape.parameter($0) }
            let states = tape.gru(tape.parameter(x), weightIH: w[0], weightHH: w[1], biasIH: w[2], biasHH: w[3])
            try tape.backward(tape.sum(tape.mul(states, tape.constant(upstream))))
            return [states.value.scalars] + ([x] + weights).map { $0.materializedGradient().scalars }
        }
        let one = try run(1), two = try run(2), again = try run(2)
        #expect(two == again)
        for (part, (a, b)) in zip(one, two).enumerated() {
            let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            #expect(worst < 1e-4, "part \(part): \(worst)")
        }
    }
}
