#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// σ(x) and softplus(x) = -log σ(-x) read from tables with linear
/// interpolation on [-8, 8] (error below 2e-6), and clamped outside, as
/// word2vec's EXP_TABLE does (which clamps at ±6 without interpolation).
public struct SigmoidTable: Sendable {
    /// Inputs at or beyond ±limit are clamped.
    public static let limit: Float = 8
    /// Table steps across [-limit, limit].
    public static let resolution = 4096
    private let sigmoid: [Float]
    private let softplus: [Float]
    private let scale = Float(resolution) / (2 * limit)

    /// Both tables.
    public init() {
        let n = SigmoidTable.resolution
        sigmoid = (0...n).map { i in
            let x = Double(i) / Double(n) * 2 * Double(SigmoidTable.limit) - Double(SigmoidTable.limit)
            return Float(1 / (1 + exp(-x)))
        }
        softplus = (0...n).map { i in
            let x = Double(i) / Double(n) * 2 * Double(SigmoidTable.limit) - Double(SigmoidTable.limit)
            return Float(log1p(exp(x)))
        }
    }

    @inline(__always)
    private func lookup(_ table: [Float], _ x: Float) -> Float {
        let position = (x + SigmoidTable.limit) * scale
        // Just under the limit, x + limit can round up to 2 * limit: the last step then serves.
        let i = min(Int(position), SigmoidTable.resolution - 1)
        let t = position - Float(i)
        return table[i] + t * (table[i + 1] - table[i])
    }

    /// σ(x).
    @inline(__always)
    public func sigma(_ x: Float) -> Float {
        if x >= SigmoidTable.limit { return 1 }
        if x <= -SigmoidTable.limit { return 0 }
        return lookup(sigmoid, x)
    }

    /// log(1 + e^x).
    @inline(__always)
    public func softplusOf(_ x: Float) -> Float {
        if x >= SigmoidTable.limit { return x }
        if x <= -SigmoidTable.limit { return 0 }
        return lookup(softplus, x)
    }
}
