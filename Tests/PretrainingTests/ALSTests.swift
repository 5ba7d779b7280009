import Autograd
import Datasets
import Pretraining
import Testing

/// Implicit ALS: the conjugate-gradient solver against the exact one, and
/// learning a planted structure.
@Suite("Implicit ALS")
struct ALSTests {
    /// 60 users in 3 groups, each group using 8 of 24 items, 5 items per user.
    private func planted() -> [[Int32]] {
        var rng = SeededGenerator(seed: 4)
        return (0..<60).map { u in
            let group = u % 3
            return Array(Set((0..<5).map { _ in Int32(group * 8 + rng.nextInt(below: 8)) })).sorted()
        }
    }

    @Test("many CG steps reach the exact (Cholesky) solution of every row within 1e-3; the default 3 steps give scores within 10% of its (6.5% measured)")
    func conjugateGradientMatchesExact() {
        let positives = planted()
        func fit(_ steps: Int) -> ImplicitALS {
            var config = ALSConfig()
            config.factors = 8; config.iterations = 15; config.alpha = 4; config.regularization = 0.1; config.cgSteps = steps
            let model = ImplicitALS(userCount: 60, itemCount: 24, config: config)
            model.fit(positives)
            return model
        }
        let exact = fit(0), converged = fit(30), fast = fit(3)
        let a = exact.users.scalars, b = converged.users.scalars
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-3 }, "max difference \(zip(a, b).map { abs($0 - $1) }.max()!)")
        // scores, not factors, for the 3-step solver: the factors may rotate, the fit may not
        func scores(_ m: ImplicitALS) -> [Float] {
            (0..<60).flatMap { u in (0..<24).map { i in (0..<8).map { m.users[u, $0] * m.items[i, $0] }.reduce(0, +) } }
        }
        let se = scores(exact), sf = scores(fast)
        let error = zip(se, sf).map { ($0 - $1) * ($0 - $1) }.reduce(0, +), norm = se.map { $0 * $0 }.reduce(0, +)
        #expect((error / norm).squareRoot() < 0.1, "relative score error \((error / norm).squareRoot())")
    }

    @Test("the planted groups: each user's own group's unseen items outscore the other groups'")
    func learnsGroups() {
        let positives = planted()
        var config = ALSConfig()
        config.factors = 8; config.alpha = 10; config.regularization = 0.1
        let model = ImplicitALS(userCount: 60, itemCount: 24, config: config)
        model.fit(positives)
        var right = 0, total = 0
        for u in 0..<60 {
            let score = { (i: Int) in (0..<8).map { model.users[u, $0] * model.items[i, $0] }.reduce(0, +) }
            let own = (0..<8).map { (u % 3) * 8 + $0 }.filter { !positives[u].contains(Int32($0)) }
            let others = (0..<24).filter { $0 / 8 != u % 3 }
            for i in own { for j in others { total += 1; if score(i) > score(j) { right += 1 } } }
        }
        #expect(Double(right) / Double(total) > 0.8, "\(right) of \(total) pairs ordered")  // chance: 0.5; 0.86 measured
    }
}
