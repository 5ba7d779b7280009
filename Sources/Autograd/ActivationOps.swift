#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// An element-wise function with its derivative written from the input `x`
/// and the output `y`. Ops take the function as a type, so each op's forward
/// and backward loops are compiled for it and vectorise (a closure called per
/// element did not: `square`'s backward alone was 17% of W1's time).
public protocol ElementwiseFunction {
    /// f(x).
    static func value(_ x: Float) -> Float
    /// f'(x), given x and y = f(x).
    static func derivative(x: Float, y: Float) -> Float
}

/// max(x, 0).
public enum ReLUFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { x > 0 ? x : 0 }
    @inline(__always) public static func derivative(x: Float, y: Float) -> Float { x > 0 ? 1 : 0 }
}

/// 1 / (1 + e^-x).
public enum SigmoidFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { stableSigmoid(x) }
    @inline(__always) public static func derivative(x: Float, y: Float) -> Float { y * (1 - y) }
}

/// tanh(x).
public enum TanhFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) public static func derivative(x: Float, y: Float) -> Float { 1 - y * y }
}

/// The exact GELU, x Φ(x), as PyTorch computes it by default.
public enum GELUFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { 0.5 * x * (1 + erff(x * 0.70710678)) }
    @inline(__always) public static func derivative(x: Float, y: Float) -> Float {
        0.5 * (1 + erff(x * 0.70710678)) + x * 0.39894228 * expf(-0.5 * x * x)
    }
}

/// e^x.
public enum ExpFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { expf(x) }
    @inline(__always) public static func derivative(x: Float, y: Float) -> Float { y }
}

/// ln(x) (for positive x).
public enum LogFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { logf(x) }
    @inline(__always) public static func derivative(x: Float, y: Float) -> Float { 1 / x }
}

/// x².
public enum SquareFunction: ElementwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { x * x }
    @inline(__always) public static func derivative(x: Float, y: Float) -> Float { 2 * x }
}

/// Element-wise activations.
extension Tape {
    /// `F` applied to every element of `x`, named `op` on the tape.
    public func elementwise<F: ElementwiseFunction>(_ op: String, _ x: Variable, _ function: F.Type) -> Variable {
        let xv = x.value
        var out = Tensor(uninitializedShape: xv.shape)
        out.withUnsafeMutableBufferPointer { o in
            xv.withUnsafeBufferPointer { s in for i in 0..<s.count { o[i] = F.value(s[i]) } }
        }
        let yv = out
        let x = x.handle
        return record(op: op, value: out, inputs: [x]) { tape, g in
            g.withUnsafeBufferPointer { g in
                xv.withUnsafeBufferPointer { s in
                    yv.withUnsafeBufferPointer { y in
                        tape.withGradient(of: x) { d in
                            for i in 0..<g.count { d[i] += g[i] * F.derivative(x: s[i], y: y[i]) }
                        }
                    }
                }
            }
        }
    }

    /// max(x, 0).
    public func relu(_ x: Variable) -> Variable { elementwise("relu", x, ReLUFunction.self) }

    /// 1 / (1 + e^-x).
    public func sigmoid(_ x: Variable) -> Variable { elementwise("sigmoid", x, SigmoidFunction.self) }

    /// tanh(x).
    public func tanh(_ x: Variable) -> Variable { elementwise("tanh", x, TanhFunction.self) }

    /// The exact GELU, x Φ(x), as PyTorch computes it by default.
    public func gelu(_ x: Variable) -> Variable { elementwise("gelu", x, GELUFunction.self) }

    /// e^x.
    public func exp(_ x: Variable) -> Variable { elementwise("exp", x, ExpFunction.self) }

    /// ln(x); the input must be positive.
    public func log(_ x: Variable) -> Variable { elementwise("log", x, LogFunction.self) }

    /// x².
    public func square(_ x: Variable) -> Variable { elementwise("square", x, SquareFunction.self) }
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
