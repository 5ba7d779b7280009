#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Element-wise activations: each defined by its forward function and its
/// derivative written from the input `x` and output `y`.
extension Tape {
    @inline(__always)
    private func unary(_ op: String, _ x: Variable,
                       forward: (Float) -> Float,
                       derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Variable {
        let xv = x.value
        var out = Tensor(uninitializedShape: xv.shape)
        out.withUnsafeMutableBufferPointer { o in
            xv.withUnsafeBufferPointer { s in for i in 0..<s.count { o[i] = forward(s[i]) } }
        }
        let yv = out
        let x = x.handle
        return record(op: op, value: out, inputs: [x]) { tape, g in
            g.withUnsafeBufferPointer { g in
                xv.withUnsafeBufferPointer { s in
                    yv.withUnsafeBufferPointer { y in
                        tape.withGradient(of: x) { d in
                            for i in 0..<g.count { d[i] += g[i] * derivative(s[i], y[i]) }
                        }
                    }
                }
            }
        }
    }

    /// max(x, 0).
    public func relu(_ x: Variable) -> Variable {
        unary("relu", x, forward: { $0 > 0 ? $0 : 0 }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    /// 1 / (1 + e^-x).
    public func sigmoid(_ x: Variable) -> Variable {
        unary("sigmoid", x, forward: stableSigmoid, derivative: { _, y in y * (1 - y) })
    }

    /// tanh(x).
    public func tanh(_ x: Variable) -> Variable {
        unary("tanh", x, forward: { tanhf($0) }, derivative: { _, y in 1 - y * y })
    }

    /// The exact GELU, x Φ(x), as PyTorch computes it by default.
    public func gelu(_ x: Variable) -> Variable {
        unary("gelu", x,
              forward: { x in 0.5 * x * (1 + erff(x * 0.70710678)) },
              derivative: { x, _ in
                  0.5 * (1 + erff(x * 0.70710678)) + x * 0.39894228 * expf(-0.5 * x * x)
              })
    }

    /// e^x.
    public func exp(_ x: Variable) -> Variable {
        unary("exp", x, forward: { expf($0) }, derivative: { _, y in y })
    }

    /// ln(x); the input must be positive.
    public func log(_ x: Variable) -> Variable {
        unary("log", x, forward: { logf($0) }, derivative: { x, _ in 1 / x })
    }

    /// x².
    public func square(_ x: Variable) -> Variable {
        unary("square", x, forward: { $0 * $0 }, derivative: { x, _ in 2 * x })
    }
}

/// 1 / (1 + e^-x) without overflow for large |x|.
@inline(__always)
func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + expf(-x)) }
    let e = expf(x)
    return e / (1 + e)
}

/// ln(1 + e^x) without overflow for large |x|.
@inline(__always)
func softplus(_ x: Float) -> Float {
    x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x))
}
