import Autograd
import RealModule

/// One optimisation algorithm, written as an update of one row of values from
/// its gradient and its per-element state. The same kernel serves the dense
/// path (every row) and the touched-rows-only path (rows with gradient).
public protocol UpdateRule: Sendable {
    /// How many per-element state buffers the rule keeps (momentum, moments …).
    var stateCount: Int { get }
    /// Updates `count` values in place. `state0`/`state1` point at this row's
    /// state (valid when `stateCount` is at least 1 / 2). `step` counts
    /// optimizer steps from 1.
    func update(values: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                state0: UnsafeMutablePointer<Float>, state1: UnsafeMutablePointer<Float>,
                count: Int, learningRate: Float, weightDecay: Float, step: Int)
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
    public func update(values: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                       state0: UnsafeMutablePointer<Float>, state1: UnsafeMutablePointer<Float>,
                       count: Int, learningRate: Float, weightDecay: Float, step: Int) {
        for i in 0..<count {
            var g = gradient[i] + weightDecay * values[i]
            if momentum > 0 {
                g = momentum * state0[i] + g
                state0[i] = g
            }
            values[i] -= learningRate * g
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
    public func update(values: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                       state0: UnsafeMutablePointer<Float>, state1: UnsafeMutablePointer<Float>,
                       count: Int, learningRate: Float, weightDecay: Float, step: Int) {
        for i in 0..<count {
            let g = gradient[i] + weightDecay * values[i]
            state0[i] += g * g
            values[i] -= learningRate * g / (state0[i].squareRoot() + epsilon)
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
    public func update(values: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                       state0: UnsafeMutablePointer<Float>, state1: UnsafeMutablePointer<Float>,
                       count: Int, learningRate: Float, weightDecay: Float, step: Int) {
        let correction1 = 1 - Float.pow(beta1, step)
        let correction2 = 1 - Float.pow(beta2, step)
        let stepSize = learningRate / correction1
        let rootCorrection2 = correction2.squareRoot()
        let decay = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
        let l2 = decoupledWeightDecay ? 0 : weightDecay
        for i in 0..<count {
            let g = gradient[i] + l2 * values[i]
            let m = beta1 * state0[i] + (1 - beta1) * g
            let v = beta2 * state1[i] + (1 - beta2) * g * g
            state0[i] = m
            state1[i] = v
            values[i] = values[i] * decay - stepSize * m / (v.squareRoot() / rootCorrection2 + epsilon)
        }
    }
}
