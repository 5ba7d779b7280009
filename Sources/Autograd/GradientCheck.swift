/// Compares the gradients of the tape with central finite differences.
public enum GradientCheck {
    /// The largest disagreement found.
    public struct Report: CustomStringConvertible {
        /// Largest |analytic - numeric| over all checked elements.
        public var maxAbsoluteError: Float
        /// Largest |analytic - numeric| / max(1, |numeric|).
        public var maxRelativeError: Float
        /// Where the worst element is: parameter index and flat element index.
        public var worst: (parameter: Int, element: Int)
        /// Number of elements compared.
        public var checkedElements: Int
        /// One line for a test failure message.
        public var description: String {
            "max abs error \(maxAbsoluteError), max rel error \(maxRelativeError) at parameter \(worst.parameter) element \(worst.element) (\(checkedElements) elements)"
        }
    }

    /// Builds `function` on a fresh tape, reduces its output to a scalar with
    /// fixed random weights, and compares each parameter's gradient (dense or
    /// row-sparse) with (f(x+h) - f(x-h)) / 2h, the loss summed in Float64.
    /// Frozen parameters are skipped. `function` must be deterministic.
    public static func check(parameters: [Parameter], step: Float = 1e-2, seed: UInt64 = 7,
                             function: (Tape) -> Variable) throws -> Report {
        var rng = SeededGenerator(seed: seed)
        var weights: Tensor?
        func evaluate(recordGradients: Bool) throws -> Double {
            let tape = Tape()
            let out = function(tape)
            if weights == nil { weights = Tensor.uniform(shape: out.shape, low: -1, high: 1, using: &rng) }
            if recordGradients {
                let loss = tape.sum(tape.mul(out, tape.constant(weights!)))
                try tape.backward(loss)
            }
            var total: Double = 0
            out.value.withUnsafeBufferPointer { o in
                weights!.withUnsafeBufferPointer { w in for i in 0..<o.count { total += Double(o[i]) * Double(w[i]) } }
            }
            return total
        }
        parameters.forEach { $0.zeroGradient() }
        _ = try evaluate(recordGradients: true)
        let analytic = parameters.map { $0.materializedGradient() }
        var report = Report(maxAbsoluteError: 0, maxRelativeError: 0, worst: (0, 0), checkedElements: 0)
        for (pi, p) in parameters.enumerated() where !p.isFrozen {
            for e in 0..<p.value.count {
                let original = p.value[flat: e]
                p.value[flat: e] = original + step
                let up = try evaluate(recordGradients: false)
                p.value[flat: e] = original - step
                let down = try evaluate(recordGradients: false)
                p.value[flat: e] = original
                let numeric = Float((up - down) / Double(2 * step))
                let absolute = abs(analytic[pi][flat: e] - numeric)
                let relative = absolute / max(1, abs(numeric))
                report.checkedElements += 1
                if relative > report.maxRelativeError {
                    report.maxRelativeError = relative
                    report.worst = (pi, e)
                }
                report.maxAbsoluteError = max(report.maxAbsoluteError, absolute)
            }
        }
        parameters.forEach { $0.zeroGradient() }
        return report
    }
}
