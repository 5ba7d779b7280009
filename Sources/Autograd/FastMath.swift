import RealModule

/// e^x for Float, written so that loops over it vectorise: n = round(x/ln2)
/// by the 1.5·2^23 trick, r = x − n·ln2 with ln2 split in two parts
/// (Cody–Waite) so r is exact to float precision, e^r by its degree-7
/// Taylor polynomial on |r| ≤ ln2/2, and 2^n built in the exponent bits.
/// Relative error below 3e-7 on [-87, 88]; 0 below -87.3, and inputs above
/// 88 are clamped (about 1.6e38).
@inlinable @inline(__always)
public func vectorExp(_ x: Float) -> Float {
    let clamped = Swift.min(Swift.max(x, -87.0), 88.0)
    // t's low mantissa bits hold n + 0x400000 (t = 1.5·2^23 + n exactly).
    let t = clamped * 1.442_695_04 + 12_582_912.0
    let n = t - 12_582_912.0
    let r = (clamped - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6
    let p = expTaylor(r)
    // No float-to-int conversion (Swift's traps on overflow and stops vectorisation): integer ops on the bits.
    let scale = Float(bitPattern: (t.bitPattern &- 0x4B40_0000 &+ 127) << 23)
    return x < -87.3 ? 0 : p * scale
}

/// 1 / (1 + e^-x) through `vectorExp`, so loops over it vectorise; no
/// overflow (vectorExp clamps), absolute error below 1e-7.
@inlinable @inline(__always)
public func vectorSigmoid(_ x: Float) -> Float {
    1 / (1 + vectorExp(-x))
}

/// tanh(x) = 2σ(2x) − 1 through `vectorExp`, so loops over it vectorise;
/// absolute error below 2e-7 (relative error grows for |x| < 1e-3).
@inlinable @inline(__always)
public func vectorTanh(_ x: Float) -> Float {
    2 / (1 + vectorExp(-2 * x)) - 1
}

/// One float or eight lanes: what `expTaylor` needs of its argument.
@usableFromInline
protocol ExpLanes {
    static func * (a: Self, b: Self) -> Self
    static func * (a: Self, b: Float) -> Self
    static func + (a: Self, b: Float) -> Self
}

extension Float: ExpLanes {}
extension SIMD8<Float>: ExpLanes {}

/// e^r by its degree-7 Taylor polynomial (Horner), for |r| ≤ ln2/2: the
/// one polynomial of the scalar and the eight-lane `vectorExp`.
@inlinable @inline(__always)
func expTaylor<V: ExpLanes>(_ r: V) -> V {
    var p = r * (1.0 / 5040) + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1.0
    return p * r + 1.0
}

/// `vectorExp` on eight lanes at once: the same operations in the same
/// order, so each lane gives the scalar function's bits.
@inlinable @inline(__always)
public func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let clamped = pointwiseMin(pointwiseMax(x, SIMD8(repeating: -87.0)), SIMD8(repeating: 88.0))
    let t = clamped * 1.442_695_04 + 12_582_912.0
    let n = t - 12_582_912.0
    let r = (clamped - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6
    let p = expTaylor(r)
    let bits = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return (p * unsafeBitCast(bits, to: SIMD8<Float>.self)).replacing(with: 0, where: x .< -87.3)
}

/// `vectorSigmoid` on eight lanes at once.
@inlinable @inline(__always)
public func vectorSigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
    1 / (1 + vectorExp(-x))
}

/// `vectorTanh` on eight lanes at once.
@inlinable @inline(__always)
public func vectorTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    2 / (1 + vectorExp(-2 * x)) - 1
}

extension SIMD8<Float> {
    /// Eight floats read from `pointer` (no alignment needed).
    @inlinable @inline(__always)
    public init(loading pointer: UnsafePointer<Float>) {
        self = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Writes the eight floats to `pointer` (no alignment needed).
    @inlinable @inline(__always)
    public func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}

/// The largest of `count` floats (−∞ for none), with eight running maxima
/// so that the loop vectorises (one running maximum is a serial chain).
@inlinable
public func vectorMax(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var m0 = -Float.infinity, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0, m7 = m0
    var j = 0
    while j + 8 <= count {
        m0 = x[j] > m0 ? x[j] : m0; m1 = x[j + 1] > m1 ? x[j + 1] : m1
        m2 = x[j + 2] > m2 ? x[j + 2] : m2; m3 = x[j + 3] > m3 ? x[j + 3] : m3
        m4 = x[j + 4] > m4 ? x[j + 4] : m4; m5 = x[j + 5] > m5 ? x[j + 5] : m5
        m6 = x[j + 6] > m6 ? x[j + 6] : m6; m7 = x[j + 7] > m7 ? x[j + 7] : m7
        j += 8
    }
    var m = Swift.max(Swift.max(Swift.max(m0, m1), Swift.max(m2, m3)), Swift.max(Swift.max(m4, m5), Swift.max(m6, m7)))
    while j < count { m = x[j] > m ? x[j] : m; j += 1 }
    return m
}

/// Writes e^(x[j] − shift) into `y` and returns their sum. The map and the
/// sum are separate loops: each vectorises on its own (together they do not),
/// and the second reads `y` back from L1.
@inlinable
public func exponentiateShifted(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, shift: Float) -> Float {
    for j in 0..<count { y[j] = vectorExp(x[j] - shift) }
    return relaxedSum(y, count)
}
