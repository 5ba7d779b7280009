import Autograd
import Datasets
import Pretraining
import Testing

/// Implicit ALS: the conjugate-gradient solver against the exact one, and
/// learning a planted structure.
@Suite("ALS: implicit (CG and exact) and explicit")
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

    @Test("explicit weighted-λ ALS fits planted rank-2 ratings far better than the mean; its rows solve their normal equations")
    func explicitALS() {
        var rng = SeededGenerator(seed: 6)
        let p = (0..<30).map { _ in [rng.nextNormal(), rng.nextNormal()] }, q = (0..<20).map { _ in [rng.nextNormal(), rng.nextNormal()] }
        var users: [Int32] = [], items: [Int32] = [], ratings: [Float] = []
        for u in 0..<30 { for i in 0..<20 where rng.nextInt(below: 2) == 0 {
            users.append(Int32(u)); items.append(Int32(i)); ratings.append(3 + p[u][0] * q[i][0] + p[u][1] * q[i][1])
        } }
        let mean = ratings.reduce(0, +) / Float(ratings.count)
        let model = ExplicitALS(userCount: 30, itemCount: 20, factors: 2, regularization: 0.01, globalMean: mean, seed: 1)
        model.fit(users: users, items: items, ratings: ratings, iterations: 30)
        let predicted = model.predict(users: users, items: items)
        let rmse = (zip(predicted, ratings).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(ratings.count)).squareRoot()
        let baseline = (ratings.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(ratings.count)).squareRoot()
        #expect(rmse < 0.4 * baseline, "RMSE \(rmse) against the mean's \(baseline)")  // 0.29 measured: no biases, so the offset costs a little
        // the last half-sweep solved the items: each item row satisfies (Σ x xᵀ + λ n I) y = Σ (r − μ) x
        for i in 0..<20 {
            let rated = users.indices.filter { items[$0] == Int32(i) }
            for j in 0..<2 {
                var lhs = 0.01 * Float(max(rated.count, 1)) * model.items[i, j], rhs: Float = 0
                for k in rated {
                    let x = (0..<2).map { model.users[Int(users[k]), $0] }
                    lhs += x[j] * (x[0] * model.items[i, 0] + x[1] * model.items[i, 1])
                    rhs += (ratings[k] - mean) * x[j]
                }
                #expect(abs(lhs - rhs) < 1e-3 * max(1, abs(rhs)), "item \(i), component \(j): \(lhs) vs \(rhs)")
            }
        }
    }
}
