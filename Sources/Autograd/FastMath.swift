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
    var p: Float = 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    // No float-to-int conversion (Swift's traps on overflow and stops vectorisation): integer ops on the bits.
    let scale = Float(bitPattern: (t.bitPattern &- 0x4B40_0000 &+ 127) << 23)
    return x < -87.3 ? 0 : p * scale
}

/// The largest of `count` floats (−∞ for none), in a loop that vectorises.
@inlinable
public func vectorMax(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var m = -Float.infinity
    for j in 0..<count { m = x[j] > m ? x[j] : m }
    return m
}
