import RealModule

/// Σ x[i] over `count` floats, with the additions allowed to reassociate so
/// that the compiler vectorises the loop (a plain `s += x[i]` is a serial chain).
@inlinable
public func relaxedSum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var s: Float = 0
    for i in 0..<count { s = Relaxed.sum(s, x[i]) }
    return s
}

/// Σ a[i]·b[i] over `count` floats, vectorised as `relaxedSum` is.
@inlinable
public func relaxedDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var s: Float = 0
    for i in 0..<count { s = Relaxed.multiplyAdd(a[i], b[i], s) }
    return s
}
