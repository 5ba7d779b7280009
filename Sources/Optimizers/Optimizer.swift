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
        let key = ObjectIdentifier(p)
        let stateSize = rule.stateCount * p.value.count
        if state[key] == nil { state[key] = [Float](repeating: 0, count: max(stateSize, 1)) }
        let rule = self.rule, step = stepCount, width = p.rowWidth
        let secondState = rule.stateCount > 1 ? p.value.count : 0
        let rowCount = p.rowCount
        let scales = p.rowLearningRateScale ?? []
        state[key]!.withUnsafeMutableBufferPointer { s in
            p.value.withUnsafeMutableBufferPointer { w in
                scales.withUnsafeBufferPointer { scaleValues in
                    Self.withGradientRows(of: p, rowCount: rowCount) { gradient, rows, count in
                        let all = UpdateRows(values: w.baseAddress!, gradient: gradient,
                                             state0: s.baseAddress!, state1: s.baseAddress! + secondState,
                                             width: width, rows: rows,
                                             scales: scales.isEmpty ? nil : scaleValues.baseAddress, range: 0..<count)
                        // Rows are distinct (the sparse gradient is consolidated), so
                        // threads never share one.
                        ParallelRows.forEach(rows: count, width: width * Self.elementCost) { part in
                            rule.update(all.restricted(to: part), learningRate: learningRate,
                                        weightDecay: weightDecay, step: step)
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(gradient rows, their table rows or nil for all, row count)`
    /// with `p`'s dense gradient (of `rowCount` rows, read before `p.value` is
    /// opened for writing), else its consolidated row-sparse one.
    private static func withGradientRows(of p: Parameter, rowCount: Int,
                                         _ body: (UnsafePointer<Float>, UnsafePointer<Int32>?, Int) -> Void) {
        if let dense = p.denseGradient {
            dense.withUnsafeBufferPointer { body($0.baseAddress!, nil, rowCount) }
        } else if let sparse = p.sparseGradient {
            sparse.values.withUnsafeBufferPointer { values in
                sparse.rows.withUnsafeBufferPointer { rows in body(values.baseAddress!, rows.baseAddress!, rows.count) }
            }
        }
    }

    /// What one element of an update costs, in element-wise adds (Adam: two
    /// moments, a root and a division), for deciding when to use threads.
    static let elementCost = 4
}
