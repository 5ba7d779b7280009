#if canImport(Glibc)
import Glibc
#endif
import Autograd
import Testing

@Suite("Seeded random generator")
struct RandomTests {
    @Test("the same seed gives the same stream; another seed another")
    func repeatable() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        #expect(sa == (0..<100).map { _ in b.next() })
        #expect(sa != (0..<100).map { _ in c.next() })
    }

    @Test("uniform ints stay in range and cover it; normals have mean 0, std 1")
    func distributions() {
        var rng = SeededGenerator(seed: 5)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[rng.nextInt(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        let draws = (0..<100_000).map { _ in Double(rng.nextNormal()) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.02)
        let unit = (0..<10_000).map { _ in rng.nextUnitFloat() }
        #expect(unit.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}

@Suite("Vectorised math")
struct FastMathTests {
    @Test("vectorExp matches expf within 3e-7 relative over the float range; vectorMax finds the maximum")
    func exp() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let relative = abs(vectorExp(x) - expf(x)) / expf(x)
            worst = max(worst, relative)
            x += 0.0137
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
        #expect(vectorExp(0) == 1 && vectorExp(-.infinity) == 0 && vectorExp(-1000) == 0)
        // Every length and position of the maximum (the loop keeps eight running maxima and a tail).
        for count in 1...19 {
            for position in 0..<count {
                var values = (0..<count).map { Float(-$0) - 0.5 }
                values[position] = 4
                #expect(values.withUnsafeBufferPointer { vectorMax($0.baseAddress!, count) } == 4, "count \(count) at \(position)")
            }
        }
        #expect([Float]().withUnsafeBufferPointer { vectorMax($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, 0) } == -.infinity)
    }

    @Test("vectorSigmoid and vectorTanh match libm within 2e-7 absolute, with no overflow; exponentiateShifted sums what it writes")
    func gates() {
        var worstSigmoid: Float = 0, worstTanh: Float = 0
        var x: Float = -60
        while x < 60 {
            worstSigmoid = max(worstSigmoid, abs(vectorSigmoid(x) - 1 / (1 + expf(-x))))
            worstTanh = max(worstTanh, abs(vectorTanh(x) - tanhf(x)))
            x += 0.00731
        }
        #expect(worstSigmoid < 2e-7 && worstTanh < 2.5e-7, "sigmoid \(worstSigmoid), tanh \(worstTanh)")
        #expect(vectorSigmoid(-1000) < 1e-30 && vectorSigmoid(1000) == 1 && vectorTanh(-1000) == -1 && vectorTanh(1000) == 1)
        let row: [Float] = (0..<37).map { Float($0) * 0.1 }
        var out = [Float](repeating: 0, count: 37)
        let sum = row.withUnsafeBufferPointer { r in out.withUnsafeMutableBufferPointer { exponentiateShifted(r.baseAddress!, $0.baseAddress!, 37, shift: 3.6) } }
        let expected = row.map { expf($0 - 3.6) }
        #expect(zip(out, expected).allSatisfy { abs($0 - $1) <= 3e-7 * $1 })
        #expect(abs(sum - expected.reduce(0, +)) < 1e-5)
    }
}
