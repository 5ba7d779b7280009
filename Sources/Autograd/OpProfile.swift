import Dispatch

/// Where training time goes, op by op: seconds summed per op name over the
/// tapes made with this profile, forward and backward apart, beside phases a
/// trainer times itself (`measure`: batch assembly, the optimizer step).
/// An op's forward time is the time from the previous record on its tape
/// (or the tape's creation) to its own, so work done between two ops is
/// charged to the op that follows; its backward time is its gradient
/// closure. For one thread at a time (a trainer's loop), not shared.
public final class OpProfile {
    /// Seconds and calls under one name.
    public struct Entry: Sendable, Equatable {
        /// The op's name on the tape, or the phase's label.
        public var name: String
        /// Seconds in the forward pass (for a phase: all of its time).
        public var forward = 0.0
        /// Seconds in the backward pass.
        public var backward = 0.0
        /// Times recorded (forward records, or phase calls).
        public var calls = 0
        /// Forward and backward seconds.
        public var seconds: Double { forward + backward }
    }

    private var entries: [String: Entry] = [:]

    /// An empty profile.
    public init() {}

    /// Every op and phase, the most time first.
    public var ranked: [Entry] { entries.values.sorted { ($0.seconds, $1.name) > ($1.seconds, $0.name) } }

    /// All seconds recorded.
    public var totalSeconds: Double { entries.values.reduce(0) { $0 + $1.seconds } }

    /// Adds `seconds` to `name`'s forward (or backward) time.
    public func add(_ name: String, seconds: Double, backward: Bool = false) {
        var entry = entries[name] ?? Entry(name: name)
        if backward { entry.backward += seconds } else { entry.forward += seconds; entry.calls += 1 }
        entries[name] = entry
    }

    /// Runs `body`, charging its time to the phase `name` of `profile` when there is one.
    @discardableResult
    public static func measure<T>(_ profile: OpProfile?, _ name: String, _ body: () throws -> T) rethrows -> T {
        guard let profile else { return try body() }
        let start = now()
        defer { profile.add(name, seconds: now() - start) }
        return try body()
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
