/// A handle to a value recorded on a tape. It keeps its tape alive; the
/// handles that backward closures keep (`handle`) do not, so a tape never
/// owns itself through its own closures.
public struct Variable {
    /// Position of the value on its tape.
    public let id: Int
    private let owner: Tape?

    /// A handle to value `id` of `tape`.
    init(id: Int, tape: Tape) {
        self.id = id
        owner = tape
    }

    private init(id: Int) {
        self.id = id
        owner = nil
    }

    /// The tape that recorded it.
    public var tape: Tape {
        guard let owner else { fatalError("Variable \(id): a backward-closure handle has no tape") }
        return owner
    }

    /// The same position without a reference to the tape: what backward
    /// closures capture, since the tape passes itself to them.
    var handle: Variable { Variable(id: id) }

    /// The recorded value.
    public var value: Tensor { tape.values[id] }
    /// Shape of the recorded value.
    public var shape: [Int] { tape.values[id].shape }
    /// The gradient of the last `backward` with respect to this value, if any reached it.
    public var gradient: Tensor? { tape.grads[id] }
}

/// Records operations in order, each with the closure that sends its output's
/// gradient back to its inputs; `backward` replays them in reverse.
///
/// A tape serves one forward and one backward pass. After `backward`, the
/// closures and the captured parameter values are released, so that optimizers
/// can update parameters in place without copying them.
public final class Tape {
    @usableFromInline var values: [Tensor] = []
    @usableFromInline var grads: [Tensor?] = []
    @usableFromInline var needsGrad: [Bool] = []
    @usableFromInline var opNames: [String] = []
    private var backwardClosures: [((Tape, Tensor) -> Void)?] = []
    private var leafParameters: [Int: Parameter] = [:]
    private let profile: OpProfile?
    private var lastRecord = 0.0

    /// An empty tape; with a `profile`, each op's forward and backward time is added to it.
    public init(profile: OpProfile? = nil) {
        self.profile = profile
        if profile != nil { lastRecord = OpProfile.now() }
    }

    /// Number of recorded values.
    public var count: Int { values.count }

    /// Records a value that needs no gradient.
    public func constant(_ value: Tensor) -> Variable {
        append(op: "constant", value: value, needsGrad: false, backward: nil)
    }

    /// Records a parameter's current value; after `backward` its dense
    /// gradient is added to the parameter (unless the parameter is frozen).
    public func parameter(_ p: Parameter) -> Variable {
        let v = append(op: "parameter", value: p.value, needsGrad: !p.isFrozen, backward: nil)
        if !p.isFrozen { leafParameters[v.id] = p }
        return v
    }

    /// Records the output of an op over `inputs`. `backward` receives the
    /// output's gradient and must add each input's share with `accumulate`.
    /// It is dropped when no input needs a gradient.
    public func record(op: String, value: Tensor, inputs: [Variable],
                       backward: @escaping (Tape, Tensor) -> Void) -> Variable {
        let needs = inputs.contains { needsGrad[$0.id] }
        return append(op: op, value: value, needsGrad: needs, backward: needs ? backward : nil)
    }

    /// Records an op whose only differentiable input is a parameter reached
    /// directly (gathers, embedding bags): their backward writes sparse rows.
    public func record(op: String, value: Tensor, parameter: Parameter,
                       backward: @escaping (Tape, Tensor) -> Void) -> Variable {
        let needs = !parameter.isFrozen
        return append(op: op, value: value, needsGrad: needs, backward: needs ? backward : nil)
    }

    private func append(op: String, value: Tensor, needsGrad needs: Bool,
                        backward: ((Tape, Tensor) -> Void)?) -> Variable {
        if let profile {
            let now = OpProfile.now()
            profile.add(op, seconds: now - lastRecord)
            lastRecord = now
        }
        values.append(value)
        grads.append(nil)
        needsGrad.append(needs)
        opNames.append(op)
        backwardClosures.append(backward)
        return Variable(id: values.count - 1, tape: self)
    }

    /// True when gradient must flow into `v`.
    public func requiresGradient(_ v: Variable) -> Bool { needsGrad[v.id] }

    /// Adds to `v`'s gradient through a pointer to its `count` elements
    /// (zero-filled the first time). Does nothing for values needing no gradient.
    public func withGradient(of v: Variable, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        guard needsGrad[v.id] else { return }
        if grads[v.id] == nil { grads[v.id] = Tensor(zeros: values[v.id].shape) }
        grads[v.id]!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Gives `body` `v`'s gradient to write: `fresh` is true when there was
    /// none yet, and then `body` must set every element (no zero-fill is
    /// paid); otherwise it must add to what is there.
    public func writeGradient(of v: Variable, _ body: (_ gradient: UnsafeMutablePointer<Float>, _ fresh: Bool) -> Void) {
        guard needsGrad[v.id] else { return }
        let fresh = grads[v.id] == nil
        if fresh { grads[v.id] = Tensor(uninitializedShape: values[v.id].shape) }
        grads[v.id]!.withUnsafeMutableBufferPointer { body($0.baseAddress!, fresh) }
    }

    /// Adds `gradient` (same element count) to `v`'s gradient.
    public func accumulate(_ v: Variable, _ gradient: Tensor) {
        guard needsGrad[v.id] else { return }
        if grads[v.id] == nil {
            grads[v.id] = gradient.reshaped(values[v.id].shape)
        } else {
            let g = gradient.storage.pointer
            withGradient(of: v) { d in
                ParallelRows.forEach(rows: gradient.count, width: 1) { range in for i in range { d[i] += g[i] } }
            }
        }
    }

    /// Back-propagates from a one-element `loss`: fills every recorded value's
    /// gradient and adds the parameters' gradients into them.
    /// Throws when the loss is not finite, naming the op that produced it.
    public func backward(_ loss: Variable) throws {
        let lossValue = values[loss.id]
        guard lossValue.count == 1 else {
            throw AutogradError(op: "backward", "loss must have one element, got shape \(lossValue.shape) from \(opNames[loss.id])")
        }
        guard lossValue.scalar.isFinite else {
            throw AutogradError(op: "backward", "loss from \(opNames[loss.id]) is \(lossValue.scalar); stopping before any parameter is changed")
        }
        grads[loss.id] = Tensor(shape: lossValue.shape, repeating: 1)
        for id in stride(from: loss.id, through: 0, by: -1) {
            guard let g = grads[id] else { continue }
            let start = profile == nil ? 0 : OpProfile.now()
            if let closure = backwardClosures[id] {
                closure(self, g)
            } else if let p = leafParameters[id] {
                p.accumulateDense(g)
            }
            profile?.add(opNames[id], seconds: OpProfile.now() - start, backward: true)
        }
        backwardClosures.removeAll()
        for id in leafParameters.keys { values[id] = Tensor(zeros: [0]) }
        leafParameters.removeAll()
    }
}
