import Foundation
import Autograd
import Optimizers
import Testing

/// Applies one step of `optimizer` after giving `p` the dense gradient `g`.
private func step(_ optimizer: Optimizer, _ p: Parameter, gradient g: [Float]) throws {
    let tape = Tape()
    let loss = tape.sum(tape.mul(tape.parameter(p), tape.constant(Tensor(shape: p.value.shape, scalars: g))))
    optimizer.zeroGradients()
    try tape.backward(loss)
    optimizer.step()
}

@Suite("Update rules against hand-computed steps")
struct UpdateRuleTests {
    @Test("SGD with momentum and L2 weight decay")
    func sgd() throws {
        let p = Parameter(Tensor(shape: [2], scalars: [1, -2]))
        let opt = Optimizer(rule: SGDRule(momentum: 0.9), groups: [ParameterGroup([p], learningRate: 0.1, weightDecay: 0.5)])
        try step(opt, p, gradient: [1, 1])
        // g' = 1 + 0.5*1 = 1.5 → w = 1 - 0.15 = 0.85; g' = 1 - 1 = 0 → w = -2
        #expect(abs(p.value[flat: 0] - 0.85) < 1e-6 && p.value[flat: 1] == -2)
        try step(opt, p, gradient: [1, 1])
        // buf = 0.9*1.5 + (1 + 0.425) = 2.775 → w = 0.85 - 0.2775
        #expect(abs(p.value[flat: 0] - 0.5725) < 1e-6)
    }

    @Test("Adagrad")
    func adagrad() throws {
        let p = Parameter(Tensor(shape: [1], scalars: [1]))
        let opt = Optimizer(rule: AdagradRule(), groups: [ParameterGroup([p], learningRate: 0.5)])
        try step(opt, p, gradient: [2])
        #expect(abs(p.value.scalar - 0.5) < 1e-6)  // 1 - 0.5 * 2 / 2
        try step(opt, p, gradient: [2])
        #expect(abs(p.value.scalar - (0.5 - 0.5 * 2 / Float(8).squareRoot())) < 1e-6)
    }

    @Test("Adam's first steps and AdamW's decoupled decay")
    func adam() throws {
        let p = Parameter(Tensor(shape: [2], scalars: [1, 1]))
        let opt = Optimizer.adam([p], learningRate: 0.1)
        try step(opt, p, gradient: [3, -0.5])
        // first step moves each weight by lr * sign(g)
        #expect(abs(p.value[flat: 0] - 0.9) < 1e-6 && abs(p.value[flat: 1] - 1.1) < 1e-6)
        try step(opt, p, gradient: [1, -0.5])
        // m = 0.9*0.3 + 0.1 = 0.37... computed: m1 = 0.3, m2 = 0.27 + 0.1 = 0.37; v1 = 0.009, v2 = 0.008991 + 0.001 = 0.009991
        let m = 0.37 / (1 - 0.81), v = 0.009991 / (1 - 0.998001)
        #expect(abs(Double(p.value[flat: 0]) - (0.9 - 0.1 * m / (v.squareRoot() + 1e-8))) < 1e-5)

        let q = Parameter(Tensor(shape: [1], scalars: [2]))
        let adamW = Optimizer.adam([q], learningRate: 0.1, weightDecay: 0.5, decoupled: true)
        try step(adamW, q, gradient: [1])
        #expect(abs(q.value.scalar - (2 * (1 - 0.05) - 0.1)) < 1e-6)
    }

    @Test("sparse and dense paths agree when every row is touched; untouched rows and their moments stay put")
    func sparseAgreesWithDense() throws {
        var rng = SeededGenerator(seed: 8)
        let start = Tensor.normal(shape: [6, 4], using: &rng)
        let sparse = Parameter(start), dense = Parameter(start)
        let sparseOpt = Optimizer.adam([sparse], learningRate: 0.05), denseOpt = Optimizer.adam([dense], learningRate: 0.05)
        let ids: [Int32] = [0, 1, 2, 3, 4, 5, 2]
        for _ in 0..<3 {
            let t1 = Tape()
            try t1.backward(t1.sum(t1.square(t1.gather(sparse, ids))))
            let t2 = Tape()
            try t2.backward(t2.sum(t2.square(t2.gather(t2.parameter(dense), ids))))
            #expect(sparse.denseGradient == nil && dense.denseGradient != nil)
            sparseOpt.step(); denseOpt.step()
            sparseOpt.zeroGradients(); denseOpt.zeroGradients()
        }
        #expect(sparse.value.scalars.elementsEqual(dense.value.scalars) { abs($0 - $1) < 1e-6 })

        let lazy = Parameter(start)
        let lazyOpt = Optimizer.adam([lazy], learningRate: 0.05)
        let t = Tape()
        try t.backward(t.sum(t.gather(lazy, [1, 4])))
        lazyOpt.step()
        for row in [0, 2, 3, 5] { for j in 0..<4 { #expect(lazy.value[row, j] == start[row, j]) } }
        for row in [1, 4] { for j in 0..<4 { #expect(abs(lazy.value[row, j] - (start[row, j] - 0.05)) < 1e-6) } }
    }

    @Test("Adam and AdamW on touched rows of 19 (two 8-lane blocks and a tail), on 1 and 2 threads, equal a scalar Adam in Double")
    func adamLanesAndThreads() throws {
        let rows = 2_000, width = 19, steps = 3
        var rng = SeededGenerator(seed: 3)
        let start = Tensor.normal(shape: [rows, width], using: &rng)
        let gradients = (0..<steps).map { _ in Tensor.normal(shape: [rows, width], using: &rng) }
        let touched: [Int32] = (0..<Int32(rows)).filter { $0 % 3 != 1 }
        for decoupled in [false, true] {
            // The reference: every element of a touched row, the textbook update in Double.
            var w = start.scalars.map(Double.init), m = [Double](repeating: 0, count: w.count), v = m
            let (lr, wd, b1, b2, eps) = (0.01, 0.1, 0.9, 0.999, 1e-8)
            for t in 1...steps {
                for row in touched.map(Int.init) {
                    for j in 0..<width {
                        let i = row * width + j
                        let g = Double(gradients[t - 1][row, j]) + (decoupled ? 0 : wd * w[i])
                        m[i] = b1 * m[i] + (1 - b1) * g
                        v[i] = b2 * v[i] + (1 - b2) * g * g
                        let update = lr / (1 - pow(b1, Double(t))) * m[i] / ((v[i] / (1 - pow(b2, Double(t)))).squareRoot() + eps)
                        w[i] = w[i] * (decoupled ? 1 - lr * wd : 1) - update
                    }
                }
            }
            for threads in [1, 2] {
                MathThreads.setBLASThreads(threads)
                defer { MathThreads.setBLASThreads(1) }
                let sparse = Parameter(start)
                let optimizer = Optimizer.adam([sparse], learningRate: 0.01, weightDecay: 0.1, decoupled: decoupled)
                for t in 0..<steps {
                    let tape = Tape()
                    let picked = tape.gather(sparse, touched)
                    let g = Tensor(shape: [touched.count, width], scalars: touched.flatMap { row in (0..<width).map { gradients[t][Int(row), $0] } })
                    optimizer.zeroGradients()
                    try tape.backward(tape.sum(tape.mul(picked, tape.constant(g))))
                    optimizer.step()
                }
                let worst = zip(sparse.value.scalars, w).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(worst < 1e-5, "decoupled \(decoupled), \(threads) threads: off by \(worst)")
                for row in 0..<rows where row % 3 == 1 { #expect(sparse.value[row, 0] == start[row, 0]) }
            }
        }
    }

    @Test("parameter groups keep their own learning rates; frozen parameters never change")
    func groupsAndFreezing() throws {
        let a = Parameter(Tensor(shape: [1], scalars: [0])), b = Parameter(Tensor(shape: [1], scalars: [0]))
        let frozen = Parameter(Tensor(shape: [1], scalars: [5]), frozen: true)
        let opt = Optimizer(rule: SGDRule(), groups: [ParameterGroup([a, frozen], learningRate: 1),
                                                      ParameterGroup([b], learningRate: 0.01)])
        let tape = Tape()
        try tape.backward(tape.sum(tape.parameter(a) + tape.parameter(b) + tape.parameter(frozen)))
        opt.step()
        #expect(a.value.scalar == -1 && abs(b.value.scalar + 0.01) < 1e-8 && frozen.value.scalar == 5)
    }

    @Test("row learning-rate scales: pretrained rows train ten times slower")
    func rowScales() throws {
        let p = Parameter(Tensor(zeros: [2, 1]))
        p.rowLearningRateScale = [0.1, 1]
        let opt = Optimizer(rule: SGDRule(), groups: [ParameterGroup([p], learningRate: 1)])
        let t = Tape()
        try t.backward(t.sum(t.gather(p, [0, 1])))
        opt.step()
        #expect(abs(p.value[flat: 0] + 0.1) < 1e-7 && p.value[flat: 1] == -1)
    }
}

@Suite("Schedules")
struct ScheduleTests {
    @Test("linear warm-up and decay, and the optimizer reads its factor")
    func schedules() {
        let linear = LinearSchedule(warmupSteps: 2, totalSteps: 12, finalFactor: 0)
        #expect(linear.factor(step: 0) == 0.5 && linear.factor(step: 1) == 1)
        #expect(abs(linear.factor(step: 7) - 0.5) < 1e-6 && linear.factor(step: 50) == 0)
        let p = Parameter(Tensor(zeros: [1]))
        let opt = Optimizer(rule: SGDRule(), groups: [ParameterGroup([p], learningRate: 0.2)], schedule: linear)
        #expect(opt.currentLearningRate() == 0.1)
    }
}
