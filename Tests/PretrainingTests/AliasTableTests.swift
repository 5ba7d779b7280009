import Autograd
import Datasets
import Pretraining
import Testing

@Suite("Alias sampling")
struct AliasTableTests {
    @Test("draws follow the weights")
    func distribution() {
        let weights: [Double] = [1, 2, 3, 4, 0, 10]
        let table = AliasTable(weights: weights)
        var rng = SeededGenerator(seed: 3)
        var counts = [Int](repeating: 0, count: weights.count)
        let draws = 200_000
        for _ in 0..<draws { counts[Int(table.sample(&rng))] += 1 }
        for (i, w) in weights.enumerated() {
            let expected = w / 20 * Double(draws)
            #expect(abs(Double(counts[i]) - expected) < 4 * expected.squareRoot() + 1, "outcome \(i): \(counts[i]) vs \(expected)")
        }
    }
}
