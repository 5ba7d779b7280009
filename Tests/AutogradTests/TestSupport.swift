import Autograd
import Testing

/// A parameter of random values in [-1, 1]; with `awayFromZero`, every value
/// has magnitude at least 0.2 so that kinks (ReLU, masks) are never crossed
/// by a finite-difference step.
func randomParameter(_ shape: [Int], seed: UInt64, awayFromZero: Bool = false, positive: Bool = false) -> Parameter {
    var rng = SeededGenerator(seed: seed)
    var t = Tensor.uniform(shape: shape, low: -1, high: 1, using: &rng)
    t.withUnsafeMutableBufferPointer { p in
        for i in 0..<p.count {
            if awayFromZero { p[i] = (p[i] < 0 ? -0.2 : 0.2) + 0.8 * p[i] }
            if positive { p[i] = 0.5 + abs(p[i]) }
        }
    }
    return Parameter(t)
}

/// Runs the gradient check and expects agreement within `tolerance`.
func expectGradientsMatch(_ parameters: [Parameter], tolerance: Float = 5e-3,
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ function: (Tape) -> Variable) throws {
    let report = try GradientCheck.check(parameters: parameters, step: 1e-2, function: function)
    #expect(report.checkedElements > 0, sourceLocation: sourceLocation)
    #expect(report.maxRelativeError < tolerance, "\(report)", sourceLocation: sourceLocation)
}
