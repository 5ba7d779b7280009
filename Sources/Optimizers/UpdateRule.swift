import Autograd
import RealModule

/// The rows one update touches in one parameter: batch row `k` is table row
/// `rows?[k] ?? k`, with its gradient at `gradient + k * width` and its values
/// and state at that table row's offset. A rule updates `range` of them.
public struct UpdateRows: @unchecked Sendable {
    /// The parameter's values.
    public let values: UnsafeMutablePointer<Float>
    /// The gradient rows, in batch order.
    public let gradient: UnsafePointer<Float>
    /// The first per-element state buffer (momentum, first moment …).
    public let state0: UnsafeMutablePointer<Float>
    /// The second per-element state buffer (valid when the rule keeps two).
    public let state1: UnsafeMutablePointer<Float>
    /// Elements per row.
    public let width: Int
    /// The table row of each batch row (nil: every row, in order).
    public let rows: UnsafePointer<Int32>?
    /// A learning-rate factor per table row (nil: 1 everywhere; 0 freezes a row).
    public let scales: UnsafePointer<Float>?
    /// The batch rows to update.
    public let range: Range<Int>

    /// Describes batch rows `range`.
    public init(values: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                state0: UnsafeMutablePointer<Float>, state1: UnsafeMutablePointer<Float>,
                width: Int, rows: UnsafePointer<Int32>?, scales: UnsafePointer<Float>?, range: Range<Int>) {
        self.values = values
        self.gradient = gradient
        self.state0 = state0
        self.state1 = state1
        self.width = width
        self.rows = rows
        self.scales = scales
        self.range = range
    }

    /// The same rows restricted to `part` (a sub-range of `range`).
    public func restricted(to part: Range<Int>) -> UpdateRows {
        UpdateRows(values: values, gradient: gradient, state0: state0, state1: state1,
                   width: width, rows: rows, scales: scales, range: part)
    }

    /// Calls `body(offset of the row's values and state, its gradient, its learning-rate factor)`
    /// for every batch row in `range` whose factor is not 0.
    @inlinable
    public func forEachRow(_ body: (_ offset: Int, _ gradient: UnsafePointer<Float>, _ scale: Float) -> Void) {
        for k in range {
            let row = rows.map { Int($0[k]) } ?? k
            let scale = scales?[row] ?? 1
            if scale != 0 { body(row * width, gradient + k * width, scale) }
        }
    }
}

/// One optimisation algorithm, written as an update of rows of values from
/// their gradient and their per-element state. The same kernel serves the
/// dense path (every row) and the touched-rows-only path (rows with
/// gradient); per-step constants are worked out once per call, not per row.
public protocol UpdateRule: Sendable {
    /// How many per-element state buffers the rule keeps (momentum, moments …).
    var stateCount: Int { get }
    /// Updates `rows` in place. `step` counts optimizer steps from 1.
    func update(_ rows: UpdateRows, learningRate: Float, weightDecay: Float, step: Int)
}

/// Stochastic gradient descent with optional momentum; weight decay is L2
/// added to the gradient.
public struct SGDRule: UpdateRule {
    /// Momentum factor (0 = plain SGD).
    public var momentum: Float
    /// Creates the rule.
    public init(momentum: Float = 0) { self.momentum = momentum }
    /// One buffer when momentum is on.
    public var stateCount: Int { momentum > 0 ? 1 : 0 }

    /// `buf = μ buf + g; w -= lr buf` (PyTorch's form).
    public func update(_ rows: UpdateRows, learningRate: Float, weightDecay: Float, step: Int) {
        rows.forEachRow { offset, gradient, scale in
            let values = rows.values + offset, state0 = rows.state0 + offset
            let rate = learningRate * scale
            for i in 0..<rows.width {
                var g = gradient[i] + weightDecay * values[i]
                if momentum > 0 {
                    g = momentum * state0[i] + g
                    state0[i] = g
                }
                values[i] -= rate * g
            }
        }
    }
}

/// Adagrad: per-element learning rates from the sum of squared gradients.
public struct AdagradRule: UpdateRule {
    /// Added to the root of the accumulator.
    public var epsilon: Float
    /// Creates the rule.
    public init(epsilon: Float = 1e-10) { self.epsilon = epsilon }
    /// One accumulator.
    public var stateCount: Int { 1 }

    /// `sum += g²; w -= lr g / (√sum + ε)`.
    public func update(_ rows: UpdateRows, learningRate: Float, weightDecay: Float, step: Int) {
        rows.forEachRow { offset, gradient, scale in
            let values = rows.values + offset, state0 = rows.state0 + offset
            let rate = learningRate * scale
            for i in 0..<rows.width {
                let g = gradient[i] + weightDecay * values[i]
                state0[i] += g * g
                values[i] -= rate * g / (state0[i].squareRoot() + epsilon)
            }
        }
    }
}

/// Adam, or AdamW when weight decay is decoupled. On the touched-rows path
/// the moments of a row advance only when the row has gradient, with bias
/// correction from the global step (as PyTorch's SparseAdam does).
public struct AdamRule: UpdateRule {
    /// Decay of the first moment.
    public var beta1: Float
    /// Decay of the second moment.
    public var beta2: Float
    /// Added to the root of the second moment.
    public var epsilon: Float
    /// AdamW: shrink weights by `lr · wd` directly instead of adding L2 to the gradient.
    public var decoupledWeightDecay: Bool

    /// Creates the rule with PyTorch's defaults.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// First and second moments.
    public var stateCount: Int { 2 }

    /// `m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²; w -= lr m̂ / (√v̂ + ε)`.
    public func update(_ rows: UpdateRows, learningRate: Float, weightDecay: Float, step: Int) {
        let correction1 = 1 - Float.pow(beta1, step)
        let rootCorrection2 = (1 - Float.pow(beta2, step)).squareRoot()
        let l2 = decoupledWeightDecay ? 0 : weightDecay
        let beta1 = beta1, beta2 = beta2, epsilon = epsilon
        rows.forEachRow { offset, gradient, scale in
            let values = rows.values + offset, state0 = rows.state0 + offset, state1 = rows.state1 + offset
            let rate = learningRate * scale
            let stepSize = rate / correction1
            let decay = decoupledWeightDecay ? 1 - rate * weightDecay : 1
            // Eight lanes at a time: a scalar `squareRoot()` compiles to a
            // checked call that kept this loop from vectorising. The same
            // operations in the same order, so the lanes give the scalar bits.
            var i = 0
            while i + 8 <= rows.width {
                let w = SIMD8<Float>(loading: values + i)
                let g = SIMD8<Float>(loading: gradient + i) + l2 * w
                let m = beta1 * SIMD8<Float>(loading: state0 + i) + (1 - beta1) * g
                let v = beta2 * SIMD8<Float>(loading: state1 + i) + (1 - beta2) * g * g
                m.store(to: state0 + i)
                v.store(to: state1 + i)
                (w * decay - stepSize * m / (v.squareRoot() / rootCorrection2 + epsilon)).store(to: values + i)
                i += 8
            }
            while i < rows.width {
                let g = gradient[i] + l2 * values[i]
                let m = beta1 * state0[i] + (1 - beta1) * g
                let v = beta2 * state1[i] + (1 - beta2) * g * g
                state0[i] = m
                state1[i] = v
                values[i] = values[i] * decay - stepSize * m / (v.squareRoot() / rootCorrection2 + epsilon)
                i += 1
            }
        }
    }
}
