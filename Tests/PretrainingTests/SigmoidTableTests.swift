import Foundation
import Pretraining
import Testing

@Suite struct SigmoidTableTests {
    /// Every float in the last few thousand steps below +8 and above -8: x + 8 rounds
    /// up to 16 for some of them, which once read past the table's end (a crash
    /// that a 100,000-item log reached in its third epoch).
    @Test func valuesJustInsideTheLimitsStayInTheTableAndAreAccurate() {
        let table = SigmoidTable()
        var x = SigmoidTable.limit.nextDown, y = (-SigmoidTable.limit).nextUp
        for _ in 0..<5_000 {
            #expect(abs(Double(table.sigma(x)) - 1 / (1 + exp(-Double(x)))) < 1e-5)
            #expect(abs(Double(table.softplusOf(x)) - log1p(exp(Double(x)))) < 1e-5)
            #expect(abs(Double(table.sigma(y)) - 1 / (1 + exp(-Double(y)))) < 1e-5)
            x = x.nextDown; y = y.nextUp
        }
    }

    /// The interpolation inside the open range (±8 itself is clamped), against the functions themselves.
    @Test func matchesTheFunctionsAcrossTheRange() {
        let table = SigmoidTable()
        for step in -799...799 {
            let x = Float(step) / 100
            #expect(abs(Double(table.sigma(x)) - 1 / (1 + exp(-Double(x)))) < 2e-6)
            #expect(abs(Double(table.softplusOf(x)) - log1p(exp(Double(x)))) < 1e-5)
        }
    }
}
