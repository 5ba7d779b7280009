/// The project's one random generator: xoshiro256** seeded through SplitMix64.
/// A few nanoseconds a draw, and the same seed gives the same stream on every
/// machine. Every random choice in Warmstart comes from one of these.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Float?
    /// The seed this generator started from.
    public let seed: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Float in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUnitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform Double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform integer in 0..<bound (Lemire's nearly divisionless method).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:): bound must be positive, got \(bound)")
        return Int(truncatingIfNeeded: next(upperBound: UInt64(bound)))
    }

    /// A draw from the standard normal distribution (Box–Muller, pairs cached).
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1 = nextUnitDouble()
        while u1 <= Double.leastNormalMagnitude { u1 = nextUnitDouble() }
        let u2 = nextUnitDouble()
        let r = (-2 * _log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = Float(r * _sin(theta))
        return Float(r * _cos(theta))
    }

    /// A new generator for a sub-task, derived from this one's stream.
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
@usableFromInline func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
@usableFromInline func _sin(_ x: Double) -> Double { Darwin.sin(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
