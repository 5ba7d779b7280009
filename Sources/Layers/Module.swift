import Autograd

/// A piece of a model: its own parameters, its sub-modules, and a train/eval
/// switch. Names are explicit and stable ("encoder.0.weight"), so a model can
/// be saved, loaded and partly frozen by name.
public protocol Module: AnyObject {
    /// This module's own parameters by local name.
    var ownParameters: [(name: String, parameter: Parameter)] { get }
    /// Sub-modules by local name.
    var children: [(name: String, module: any Module)] { get }
    /// Switches training behaviour (dropout) on or off, here and below.
    func setTraining(_ isTraining: Bool)
}

extension Module {
    /// No parameters of its own unless the module says so.
    public var ownParameters: [(name: String, parameter: Parameter)] { [] }
    /// No sub-modules unless the module says so.
    public var children: [(name: String, module: any Module)] { [] }
    /// Passes the switch to every sub-module.
    public func setTraining(_ isTraining: Bool) {
        for child in children { child.module.setTraining(isTraining) }
    }

    /// Every parameter here and below, named by its path ("mlp.1.weight").
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var result = ownParameters
        for child in children {
            result += child.module.namedParameters().map { ("\(child.name).\($0.name)", $0.parameter) }
        }
        return result
    }

    /// Every parameter here and below.
    public var parameters: [Parameter] { namedParameters().map(\.parameter) }

    /// The parameter at `name`, or nil.
    public func parameter(named name: String) -> Parameter? {
        namedParameters().first { $0.name == name }?.parameter
    }

    /// Freezes every parameter whose name is `name` or starts with `name.`;
    /// returns how many were frozen.
    @discardableResult
    public func freeze(_ name: String) -> Int { setFrozen(true, name) }

    /// Unfreezes every parameter whose name is `name` or starts with `name.`.
    @discardableResult
    public func unfreeze(_ name: String) -> Int { setFrozen(false, name) }

    private func setFrozen(_ frozen: Bool, _ name: String) -> Int {
        let matches = namedParameters().filter { $0.name == name || $0.name.hasPrefix(name + ".") }
        matches.forEach { $0.parameter.isFrozen = frozen }
        return matches.count
    }

    /// Clears the gradients of every parameter.
    public func zeroGradients() { parameters.forEach { $0.zeroGradient() } }
}
