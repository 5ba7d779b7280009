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
