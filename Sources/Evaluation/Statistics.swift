#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Summary statistics and the paired t-test used by the reuse report.
public enum Statistics {
    /// The arithmetic mean (0 for no values).
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }

    /// The median (the upper middle value for an even count); nil for no values.
    public static func median(_ x: [Double]) -> Double? {
        guard !x.isEmpty else { return nil }
        return x.sorted()[x.count / 2]
    }

    /// Work over time across epochs given as (rate, seconds): every epoch's
    /// units added up over every epoch's seconds added up (0 when no time
    /// passed). The throughput statistic of every figure Warmstart quotes.
    public static func overallRate(_ epochs: [(rate: Double, seconds: Double)]) -> Double {
        let seconds = epochs.reduce(0) { $0 + $1.seconds }
        return seconds > 0 ? epochs.reduce(0) { $0 + $1.rate * $1.seconds } / seconds : 0
    }

    /// The sample standard deviation (n − 1 in the denominator; 0 below two values).
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
    }

    /// A paired comparison of two runs per seed.
    public struct PairedTest: Codable, Sendable, Equatable {
        /// Number of pairs.
        public var pairs: Int
        /// Mean of (treatment − control).
        public var meanDifference: Double
        /// Sample standard deviation of the differences.
        public var standardDeviation: Double
        /// The t statistic (nil when undefined: fewer than two pairs or no spread).
        public var t: Double?
        /// Two-sided p-value of the t-test (nil when undefined).
        public var pValue: Double?
    }

    /// Paired t-test of `treatment` against `control` (same seeds, same order).
    public static func pairedTest(treatment: [Double], control: [Double]) -> PairedTest {
        precondition(treatment.count == control.count, "pairedTest: \(treatment.count) vs \(control.count) values")
        let d = zip(treatment, control).map { $0 - $1 }
        let m = mean(d), s = standardDeviation(d)
        guard d.count > 1, s > 0 else { return PairedTest(pairs: d.count, meanDifference: m, standardDeviation: s, t: nil, pValue: nil) }
        let t = m / (s / Double(d.count).squareRoot())
        let df = Double(d.count - 1)
        let p = regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
        return PairedTest(pairs: d.count, meanDifference: m, standardDeviation: s, t: t, pValue: min(1, max(0, p)))
    }

    /// I_x(a, b) by the continued fraction (modified Lentz), as in Numerical Recipes.
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x))
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a) }
        var f = 1.0, c = 1.0, d = 0.0
        for i in 0...300 {
            let m = Double(i / 2)
            let numerator: Double
            if i == 0 { numerator = 1 }
            else if i % 2 == 0 { numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)) }
            else { numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)) }
            d = 1 + numerator * d
            if abs(d) < 1e-30 { d = 1e-30 }
            d = 1 / d
            c = 1 + numerator / c
            if abs(c) < 1e-30 { c = 1e-30 }
            let delta = c * d
            f *= delta
            if abs(delta - 1) < 1e-12 { break }
        }
        return front * (f - 1) / a
    }
}

/// Principal components of row vectors, for 2-D maps of embeddings.
public enum PrincipalComponents {
    /// The first `count` principal-component coordinates of each row (power
    /// iteration with deflation on the covariance; seeded start vectors).
    public static func project(_ rows: [[Float]], count: Int = 2, iterations: Int = 100) -> [[Double]] {
        guard let d = rows.first?.count, !rows.isEmpty else { return [] }
        let n = Double(rows.count)
        var mean = [Double](repeating: 0, count: d)
        for r in rows { for j in 0..<d { mean[j] += Double(r[j]) / n } }
        let centered = rows.map { r in (0..<d).map { Double(r[$0]) - mean[$0] } }
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for r in centered { for i in 0..<d { for j in 0..<d { covariance[i][j] += r[i] * r[j] / n } } }
        var components: [[Double]] = []
        for c in 0..<count {
            var v = (0..<d).map { Double(($0 * 7 + c * 13) % 11) - 5 + 0.5 }
            for _ in 0..<iterations {
                var w = (0..<d).map { i in (0..<d).map { covariance[i][$0] * v[$0] }.reduce(0, +) }
                for p in components { let dot = zip(w, p).map(*).reduce(0, +); w = zip(w, p).map { $0 - dot * $1 } }
                let norm = w.map { $0 * $0 }.reduce(0, +).squareRoot()
                guard norm > 0 else { break }
                v = w.map { $0 / norm }
            }
            components.append(v)
        }
        return centered.map { r in components.map { p in zip(r, p).map(*).reduce(0, +) } }
    }
}
