import Foundation
import Autograd
import Testing

@Suite("Matmul, reductions and shape ops: gradients against finite differences")
struct StructuralGradientTests {
    @Test("matmul with every transpose combination",
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmul(transposes: (Bool, Bool)) throws {
        let (ta, tb) = transposes
        let a = randomParameter(ta ? [4, 3] : [3, 4], seed: 10)
        let b = randomParameter(tb ? [5, 4] : [4, 5], seed: 11)
        try expectGradientsMatch([a, b]) { tape in
            tape.matmul(tape.parameter(a), tape.parameter(b), transposeA: ta, transposeB: tb)
        }
    }

    @Test("matmul values and shape errors")
    func matmulValues() {
        let tape = Tape()
        let a = tape.constant(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let b = tape.constant(Tensor(shape: [2, 2], scalars: [5, 6, 7, 8]))
        #expect(tape.matmul(a, b).value.scalars == [19, 22, 43, 50])
        #expect(tape.matmul(a, b, transposeA: true).value.scalars == [26, 30, 38, 44])
        guard case .failure(let e) = Tape.matmulShape([2, 3], [4, 5], transposeA: false, transposeB: false) else {
            Issue.record("[2,3]·[4,5] must fail"); return
        }
        #expect(e.op == "matmul" && e.message.contains("[2, 3]") && e.message.contains("[4, 5]"))
    }

    @Test("linear: x·Wᵀ + b as one op equals matmul plus a row-broadcast add, with gradients")
    func linear() throws {
        let x = randomParameter([5, 4], seed: 14), w = randomParameter([3, 4], seed: 15), b = randomParameter([3], seed: 16)
        try expectGradientsMatch([x, w, b]) { tape in
            tape.linear(tape.parameter(x), weight: tape.parameter(w), bias: tape.parameter(b))
        }
        let tape = Tape()
        let fused = tape.linear(tape.parameter(x), weight: tape.parameter(w), bias: tape.parameter(b)).value.scalars
        let unfused = tape.add(tape.matmul(tape.parameter(x), tape.parameter(w), transposeB: true), tape.parameter(b)).value.scalars
        #expect(zip(fused, unfused).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test("batched matmul", arguments: [(false, false), (true, false), (false, true)])
    func batched(transposes: (Bool, Bool)) throws {
        let (ta, tb) = transposes
        let a = randomParameter(ta ? [2, 4, 3] : [2, 3, 4], seed: 12)
        let b = randomParameter(tb ? [2, 5, 4] : [2, 4, 5], seed: 13)
        try expectGradientsMatch([a, b]) { tape in
            tape.batchedMatmul(tape.parameter(a), tape.parameter(b), transposeA: ta, transposeB: tb)
        }
    }

    @Test("batched matmul split across threads equals one matmul per batch element, forward and backward")
    func batchedParallel() throws {
        var rng = SeededGenerator(seed: 17)
        // 128 x [40, 64]·[64, 40]: above ParallelRows' threshold, so the batch is split.
        let a = Parameter(.normal(shape: [128, 40, 64], using: &rng)), b = Parameter(.normal(shape: [128, 40, 64], using: &rng))
        MathThreads.setBLASThreads(2)
        defer { MathThreads.setBLASThreads(1) }
        let tape = Tape()
        let product = tape.batchedMatmul(tape.parameter(a), tape.parameter(b), transposeB: true)  // [128, 40, 40]
        try tape.backward(tape.sum(tape.square(product)))
        let (av, bv, out) = (a.value.scalars, b.value.scalars, product.value.scalars)
        let (ga, gb) = (a.denseGradient!.scalars, b.denseGradient!.scalars)
        for i in [0, 63, 64, 127] {
            let small = Tape()
            let ai = Parameter(Tensor(shape: [40, 64], scalars: Array(av[(i * 2560)..<((i + 1) * 2560)])))
            let bi = Parameter(Tensor(shape: [40, 64], scalars: Array(bv[(i * 2560)..<((i + 1) * 2560)])))
            let p = small.matmul(small.parameter(ai), small.parameter(bi), transposeB: true)
            try small.backward(small.sum(small.square(p)))
            #expect(zip(p.value.scalars, out[(i * 1600)..<((i + 1) * 1600)]).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
            #expect(zip(ai.denseGradient!.scalars, ga[(i * 2560)..<((i + 1) * 2560)]).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
            #expect(zip(bi.denseGradient!.scalars, gb[(i * 2560)..<((i + 1) * 2560)]).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        }
    }

    @Test("sum and mean over an axis and over everything")
    func reductions() throws {
        let a = randomParameter([2, 3, 4], seed: 14)
        for axis in 0..<3 {
            try expectGradientsMatch([a]) { tape in tape.sum(tape.parameter(a), axis: axis) }
            try expectGradientsMatch([a]) { tape in tape.mean(tape.parameter(a), axis: axis) }
        }
        try expectGradientsMatch([a]) { tape in tape.sum(tape.parameter(a)) }
        try expectGradientsMatch([a]) { tape in tape.mean(tape.parameter(a)) }
        let tape = Tape()
        let x = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(tape.sum(x, axis: 0).value.scalars == [5, 7, 9])
        #expect(tape.mean(x, axis: 1).value.scalars == [2, 5])
        #expect(tape.sum(x).value.scalar == 21)
    }

    @Test("reshape, concat, slice, transpose")
    func shapeOps() throws {
        let a = randomParameter([2, 6], seed: 15), b = randomParameter([2, 3], seed: 16)
        try expectGradientsMatch([a]) { tape in tape.square(tape.reshape(tape.parameter(a), [3, 4])) }
        try expectGradientsMatch([a, b]) { tape in tape.concat([tape.parameter(a), tape.parameter(b)], axis: 1) }
        let c = randomParameter([3, 6], seed: 17)
        try expectGradientsMatch([a, c]) { tape in tape.concat([tape.parameter(a), tape.parameter(c)], axis: 0) }
        try expectGradientsMatch([a]) { tape in tape.slice(tape.parameter(a), axis: 1, 2..<5) }
        try expectGradientsMatch([a]) { tape in tape.transposeLastTwo(tape.parameter(a)) }
        let tape = Tape()
        let x = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(tape.slice(x, axis: 1, 1..<3).value.scalars == [2, 3, 5, 6])
        #expect(tape.transposeLastTwo(x).value.scalars == [1, 4, 2, 5, 3, 6])
        #expect(tape.concat([x, x], axis: 1).value.shape == [2, 6])
    }

    @Test("softmax and log-softmax")
    func softmax() throws {
        let a = randomParameter([3, 5], seed: 18)
        try expectGradientsMatch([a]) { tape in tape.softmax(tape.parameter(a)) }
        try expectGradientsMatch([a]) { tape in tape.logSoftmax(tape.parameter(a)) }
        let tape = Tape()
        let y = tape.softmax(tape.constant(Tensor(shape: [1, 3], scalars: [0, 0, 1000])))
        #expect(y.value.scalars == [0, 0, 1])
        let ls = tape.logSoftmax(tape.constant(Tensor(shape: [1, 2], scalars: [0, 0]))).value.scalars
        #expect(abs(ls[0] + 0.693147) < 1e-6)
    }

    @Test("masked softmax: scaled, masked positions weigh 0, a fully masked row is zeros; gradients; the parallel path agrees")
    func maskedSoftmax() throws {
        // Two [3, 3] blocks: causal, and in the second block key 0 is padding (so its query row 0 sees nothing).
        let mask: [Bool] = [false, true, true, false, false, true, false, false, false,
                            true, true, true, true, false, true, true, false, false]
        let a = randomParameter([2, 3, 3], seed: 19)
        try expectGradientsMatch([a]) { tape in tape.maskedSoftmax(tape.parameter(a), scale: 0.7, mask: mask) }
        let tape = Tape()
        let y = tape.maskedSoftmax(tape.parameter(a), scale: 0.7, mask: mask).value.scalars
        let x = a.value.scalars
        for row in 0..<6 {
            let open = (0..<3).filter { !mask[row * 3 + $0] }
            let total = open.map { expf(0.7 * x[row * 3 + $0]) }.reduce(0, +)
            for j in 0..<3 {
                let want = open.contains(j) ? expf(0.7 * x[row * 3 + j]) / total : 0
                #expect(abs(y[row * 3 + j] - want) < 1e-6, "row \(row) column \(j)")
            }
        }
        // Above the parallel threshold, the fused op equals scale, masked fill and softmax as three ops.
        var rng = SeededGenerator(seed: 20)
        let big = Tensor.normal(shape: [64, 50, 50], using: &rng)
        let causal = (0..<2500).map { $0 % 50 > $0 / 50 }
        MathThreads.setBLASThreads(2)
        defer { MathThreads.setBLASThreads(1) }
        let fused = tape.maskedSoftmax(tape.constant(big), scale: 0.125, mask: causal).value.scalars
        let unfused = tape.softmax(tape.maskedFill(tape.constant(big) * 0.125, mask: causal, value: -1e9)).value.scalars
        #expect(zip(fused, unfused).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test("layer norm, including gamma and beta")
    func layerNorm() throws {
        let x = randomParameter([4, 6], seed: 19)
        let gamma = randomParameter([6], seed: 20), beta = randomParameter([6], seed: 21)
        try expectGradientsMatch([x, gamma, beta]) { tape in
            tape.layerNorm(tape.parameter(x), gamma: tape.parameter(gamma), beta: tape.parameter(beta))
        }
    }

    @Test("dropout with a fixed stream, and masked fill")
    func masking() throws {
        let a = randomParameter([4, 5], seed: 22)
        try expectGradientsMatch([a]) { tape in
            var rng = SeededGenerator(seed: 99)
            return tape.dropout(tape.parameter(a), probability: 0.3, using: &rng)
        }
        let mask = (0..<5).map { $0 % 2 == 0 }
        try expectGradientsMatch([a]) { tape in tape.maskedFill(tape.parameter(a), mask: mask, value: -1e4) }
        var rng = SeededGenerator(seed: 1)
        let tape = Tape()
        let out = tape.dropout(tape.constant(Tensor(shape: [10_000], repeating: 1)), probability: 0.25, using: &rng)
        let kept = out.value.scalars.filter { $0 != 0 }
        #expect(abs(Float(kept.count) / 10_000 - 0.75) < 0.02)
        #expect(kept.allSatisfy { abs($0 - 4.0 / 3.0) < 1e-6 })
        // The hash-based masks: neighbours independent (both kept 0.75² of the time), a new mask per call.
        let large = tape.constant(Tensor(shape: [200_000], repeating: 1))
        let first = tape.dropout(large, probability: 0.25, using: &rng).value.scalars
        let second = tape.dropout(large, probability: 0.25, using: &rng).value.scalars
        let bothNeighbours = (0..<(first.count - 1)).filter { first[$0] != 0 && first[$0 + 1] != 0 }.count
        #expect(abs(Double(bothNeighbours) / Double(first.count - 1) - 0.5625) < 0.01)
        let same = zip(first, second).filter { ($0 != 0) == ($1 != 0) }.count
        #expect(abs(Double(same) / Double(first.count) - 0.625) < 0.01)  // 0.75² + 0.25² if independent
    }
}
