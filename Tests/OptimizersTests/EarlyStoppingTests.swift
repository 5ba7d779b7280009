import Autograd
import Optimizers
import Testing

@Suite struct EarlyStoppingTests {
    /// Feeds `figures` in turn, the parameter holding the evaluation's index;
    /// returns which evaluation's weights are kept and the evaluations run before stopping.
    func keptAndRun(_ figures: [Double], selection: CheckpointSelection, patience: Int? = nil) -> (kept: Float, run: Int) {
        let p = Parameter(Tensor(shape: [1], scalars: [0]))
        var stopping = EarlyStopping(patience: patience, selection: selection)
        var run = 0
        for (i, f) in figures.enumerated() where !stopping.shouldStop {
            p.value = Tensor(shape: [1], scalars: [Float(i)])
            stopping.record(f, parameters: [p])
            run += 1
        }
        p.value = Tensor(shape: [1], scalars: [-1])
        stopping.restore([p])
        return (p.value.scalar, run)
    }

    /// A lucky spike at evaluation 1 wins `best`; `smoothed` (means of up to 3
    /// in a row: 0.1, 0.3, 0.233, 0.307, 0.253, 0.34, 0.3) keeps the end of the
    /// best run of three, evaluation 5; `last` keeps the last.
    let figures = [0.1, 0.5, 0.1, 0.32, 0.34, 0.36, 0.2]

    @Test func eachSelectionKeepsTheEvaluationItShould() {
        #expect(keptAndRun(figures, selection: .best).kept == 1)
        #expect(keptAndRun(figures, selection: .smoothed).kept == 5)
        #expect(keptAndRun(figures, selection: .last).kept == 6)
    }

    /// Patience counts evaluations without a better (smoothed) figure; `last` never stops.
    @Test func patienceCountsOnTheSelectedCurve() {
        #expect(keptAndRun(figures, selection: .best, patience: 2).run == 4)  // 0.5, then 0.1 and 0.32
        #expect(keptAndRun(figures, selection: .smoothed, patience: 2).run == 7)
        #expect(keptAndRun(figures, selection: .last, patience: 1).run == 7)
    }

    /// A record resumed with the latest figures smooths as the uninterrupted one does.
    @Test func resumedRecordSmoothsOverTheFiguresBeforeIt() {
        let p = Parameter(Tensor(shape: [1], scalars: [0]))
        var resumed = EarlyStopping(patience: nil, selection: .smoothed, best: 0.3, recent: [0.5, 0.1, 0.3])
        let lower = resumed.record(0.35, parameters: [p])   // (0.1 + 0.3 + 0.35) / 3 = 0.25
        let higher = resumed.record(0.65, parameters: [p])  // (0.3 + 0.35 + 0.65) / 3 ≈ 0.433
        #expect(!lower)
        #expect(higher)
        #expect(abs(resumed.best - 1.3 / 3) < 1e-12)
    }
}
