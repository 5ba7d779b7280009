import Evaluation
import Testing

@Suite("Statistics on hand-made inputs")
struct StatisticsTests {
    @Test("mean and sample standard deviation")
    func spread() {
        #expect(Statistics.mean([1, 2, 3, 6]) == 3)
        #expect(abs(Statistics.standardDeviation([1, 2, 3, 6]) - (14.0 / 3).squareRoot()) < 1e-12)
        #expect(Statistics.standardDeviation([5]) == 0)
    }

    @Test("paired t-test: differences, t statistic and two-sided p-value")
    func pairedTest() {
        // differences 0.1, 0.2, 0.3: mean 0.2, sd 0.1, t = 0.2 / (0.1/√3) = 3.4641, df 2 → p = 0.07418 (scipy.stats.ttest_rel)
        let test = Statistics.pairedTest(treatment: [0.6, 0.7, 0.8], control: [0.5, 0.5, 0.5])
        #expect(abs(test.meanDifference - 0.2) < 1e-12 && abs(test.standardDeviation - 0.1) < 1e-12)
        #expect(abs(test.t! - 3.4641016) < 1e-6)
        #expect(abs(test.pValue! - 0.0741799) < 1e-5)
        // t = 1 with df 1: p = 0.5 exactly
        let flat = Statistics.pairedTest(treatment: [2, 0], control: [1, 0])
        #expect(abs(flat.pValue! - 0.5) < 1e-9)
        #expect(Statistics.pairedTest(treatment: [1, 1], control: [0, 0]).pValue == nil)  // no spread: undefined
        #expect(abs(Statistics.regularizedIncompleteBeta(0.3, a: 2, b: 3) - 0.3483) < 1e-4)
    }

    @Test("principal components find the direction of largest spread")
    func pca() {
        let rows: [[Float]] = (0..<20).map { i in [Float(i), Float(i) * 2, 0.01 * Float(i % 3)] }
        let p = PrincipalComponents.project(rows)
        let first = p.map { $0[0] }
        #expect(abs(abs(first[19] - first[0]) - (19 * 5.0.squareRoot())) < 1e-3)
        #expect(p.allSatisfy { abs($0[1]) < 0.05 })
    }
}
