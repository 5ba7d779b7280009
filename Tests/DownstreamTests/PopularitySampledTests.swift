import Autograd
import Downstream
import Foundation
import Testing

/// Scores against a fixed table: hidden · row.
struct FixedScorer: ItemScorer {
    let table: Tensor
    var scoredRows: Int { table.shape[0] }
    func scores(_ hidden: Variable) -> Variable { hidden.tape.matmul(hidden, hidden.tape.constant(table), transposeB: true) }
    func scores(_ hidden: Variable, against items: [Int32]) -> Variable {
        hidden.tape.matmul(hidden, hidden.tape.gather(hidden.tape.constant(table), items), transposeB: true)
    }
    func scoresOf(_ hidden: Variable, items: [Int32]) -> Variable {
        let tape = hidden.tape
        return tape.sum(tape.mul(hidden, tape.gather(tape.constant(table), items)), axis: 1)
    }
}

@Suite("Popularity-sampled softmax with the log-Q correction")
struct PopularitySampledTests {
    @Test("popularity is training count plus one, and the loss is the corrected softmax computed by hand")
    func byHand() {
        // Rows: padding, then items seen 3, 1 and 0 times: counts 4, 2, 1 of 7.
        let popularity = ItemPopularity(rows: 4, sequences: [[1, 1, 1, 2]])
        #expect(abs(popularity.logExpectedCount(1, draws: 2) - Float(log(2.0 * 4 / 7))) < 1e-6)
        #expect(abs(popularity.logExpectedCount(3, draws: 5) - Float(log(5.0 / 7))) < 1e-6)
        var counts = [Int](repeating: 0, count: 4)
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<70_000 { counts[Int(popularity.draw(&rng))] += 1 }
        #expect(counts[0] == 0 && abs(Double(counts[1]) / 70_000 - 4.0 / 7) < 0.01 && abs(Double(counts[3]) / 70_000 - 1.0 / 7) < 0.01)

        let scorer = FixedScorer(table: Tensor(shape: [4, 2], scalars: [0, 0, 1, 0, 0, 1, 1, 1]))
        let hiddenValue = Tensor(shape: [1, 2], scalars: [0.5, -1])
        let k = 3, target: Int32 = 3
        var draws = SeededGenerator(seed: 4), replay = draws
        let loss = NextItemLoss.popularitySampled(negatives: k)(scorer, hidden: Tape().constant(hiddenValue), targets: [target], rng: &draws,
                                                               popularity: popularity).value.scalars[0]
        let negatives = (0..<k).map { _ in popularity.draw(&replay) }
        let q = [0.0, 4.0 / 7, 2.0 / 7, 1.0 / 7]
        let score = { (row: Int32) -> Double in 0.5 * Double(scorer.table[Int(row), 0]) - Double(scorer.table[Int(row), 1]) }
        var logits = [score(target) - log(Double(k) * q[Int(target)])]
        for n in negatives where n != target { logits.append(score(n) - log(Double(k) * q[Int(n)])) }
        let expected = -logits[0] + log(logits.map { exp($0) }.reduce(0, +))
        #expect(abs(Double(loss) - expected) < 1e-5, "loss \(loss), by hand \(expected), negatives \(negatives)")
    }
}
