import Autograd

/// Parameters that share a learning rate and a weight decay.
public struct ParameterGroup {
    /// The parameters of the group.
    public var parameters: [Parameter]
    /// Base learning rate (before the schedule's factor).
    public var learningRate: Float
    /// Weight decay (L2, or decoupled for AdamW).
    public var weightDecay: Float

    /// A group.
    public init(_ parameters: [Parameter], learningRate: Float, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}

/// Applies an `UpdateRule` to parameter groups. A parameter with a dense
/// gradient is updated row by row over the whole tensor; one with only a
/// row-sparse gradient is updated on its touched rows only (lazy state).
/// Frozen parameters and rows whose learning-rate scale is 0 never change.
public final class Optimizer {
    /// The algorithm.
    public let rule: any UpdateRule
    /// The groups, each with its own learning rate and weight decay.
    public var groups: [ParameterGroup]
    /// Factor applied to every group's learning rate at each step.
    public var schedule: any LearningRateSchedule
    /// Steps taken so far.
    public private(set) var stepCount = 0
    private var state: [ObjectIdentifier: [Float]] = [:]

    /// An optimizer over `groups`.
    public init(rule: any UpdateRule, groups: [ParameterGroup],
                schedule: any LearningRateSchedule = ConstantSchedule()) {
        self.rule = rule
        self.groups = groups
        self.schedule = schedule
    }

    /// Adam (or AdamW with `decoupled`) over one group.
    public static func adam(_ parameters: [Parameter], learningRate: Float, weightDecay: Float = 0,
                            decoupled: Bool = false) -> Optimizer {
        Optimizer(rule: AdamRule(decoupledWeightDecay: decoupled),
                  groups: [ParameterGroup(parameters, learningRate: learningRate, weightDecay: weightDecay)])
    }

    /// The learning rate of `group` at the next step.
    public func currentLearningRate(group: Int = 0) -> Float {
        groups[group].learningRate * schedule.factor(step: stepCount)
    }

    /// Updates every parameter that has a gradient, then leaves gradients in
    /// place (call `zeroGradients` or the module's before the next pass).
    public func step() {
        let factor = schedule.factor(step: stepCount)
        stepCount += 1
        for group in groups {
            let lr = group.learningRate * factor
            for p in group.parameters where !p.isFrozen && p.hasGradient {
                update(p, learningRate: lr, weightDecay: group.weightDecay)
            }
        }
    }

    /// The optimizer's state for a checkpoint: the step count, and each
    /// parameter's per-element state (in group order; empty for none yet).
    public func exportState() -> (step: Int, state: [[Float]]) {
        (stepCount, groups.flatMap(\.parameters).map { state[ObjectIdentifier($0)] ?? [] })
    }

    /// Restores a state from `exportState` of an optimizer over the same parameters.
    public func importState(step: Int, state saved: [[Float]]) {
        let parameters = groups.flatMap(\.parameters)
        precondition(saved.count == parameters.count, "Optimizer.importState: \(saved.count) states for \(parameters.count) parameters")
        stepCount = step
        for (p, s) in zip(parameters, saved) { state[ObjectIdentifier(p)] = s.isEmpty ? nil : s }
    }

    /// Clears every parameter's gradient.
    public func zeroGradients() {
        for group in groups { group.parameters.forEach { $0.zeroGradient() } }
    }

    private func update(_ p: Parameter, learningRate: Float, weightDecay: Float) {
        p.consolidateGradient()
        let width = p.rowWidth, rows = p.rowCount
        let key = ObjectIdentifier(p)
        let stateSize = rule.stateCount * p.value.count
        if state[key] == nil { state[key] = [Float](repeating: 0, count: max(stateSize, 1)) }
        let scales = p.rowLearningRateScale
        let rule = self.rule, step = stepCount
        let total = p.value.count
        state[key]!.withUnsafeMutableBufferPointer { s in
            p.value.withUnsafeMutableBufferPointer { w in
                func updateRow(_ row: Int, _ gradient: UnsafePointer<Float>) {
                    let scale = scales?[row] ?? 1
                    guard scale != 0 else { return }
                    let offset = row * width
                    rule.update(values: w.baseAddress! + offset, gradient: gradient,
                                state0: s.baseAddress! + offset,
                                state1: s.baseAddress! + (rule.stateCount > 1 ? total : 0) + offset,
                                count: width, learningRate: learningRate * scale,
                                weightDecay: weightDecay, step: step)
                }
                if let dense = p.denseGradient {
                    dense.withUnsafeBufferPointer { g in
                        for row in 0..<rows { updateRow(row, g.baseAddress! + row * width) }
                    }
                } else if let sparse = p.sparseGradient {
                    sparse.values.withUnsafeBufferPointer { g in
                        for (k, row) in sparse.rows.enumerated() { updateRow(Int(row), g.baseAddress! + k * width) }
                    }
                }
            }
        }
    }
}
