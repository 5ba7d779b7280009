/// A multiplier of the base learning rate as a function of the step (from 0).
public protocol LearningRateSchedule: Sendable {
    /// The factor at `step`.
    func factor(step: Int) -> Float
}

/// Always 1.
public struct ConstantSchedule: LearningRateSchedule {
    /// Creates the schedule.
    public init() {}
    /// 1.
    public func factor(step: Int) -> Float { 1 }
}

/// Linear warm-up from 0 over `warmupSteps`, then linear change from 1 to
/// `finalFactor` at `totalSteps` (word2vec's decay is warm-up 0, final 0.0001/0.025).
public struct LinearSchedule: LearningRateSchedule {
    /// Steps of warm-up.
    public var warmupSteps: Int
    /// Step at which `finalFactor` is reached.
    public var totalSteps: Int
    /// The factor at and after `totalSteps`.
    public var finalFactor: Float

    /// Creates the schedule.
    public init(warmupSteps: Int = 0, totalSteps: Int, finalFactor: Float = 0) {
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.finalFactor = finalFactor
    }

    /// The factor at `step`.
    public func factor(step: Int) -> Float {
        if step < warmupSteps { return Float(step + 1) / Float(warmupSteps) }
        let span = max(totalSteps - warmupSteps, 1)
        let progress = min(Float(step - warmupSteps) / Float(span), 1)
        return 1 + (finalFactor - 1) * progress
    }
}
