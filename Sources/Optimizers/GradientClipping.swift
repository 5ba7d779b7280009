import Autograd

/// Scales all gradients down so that their joint L2 norm is at most
/// `maxNorm`; returns the norm before clipping. Row-sparse gradients count
/// each touched row once (after merging repeats).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters where !p.isFrozen && p.hasGradient {
        p.consolidateGradient()
        p.denseGradient?.withUnsafeBufferPointer { g in for x in g { total += Double(x * x) } }
        if let sparse = p.sparseGradient { for x in sparse.values { total += Double(x * x) } }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm, norm > 0 {
        let factor = maxNorm / norm
        for p in parameters where !p.isFrozen && p.hasGradient { p.scaleGradient(by: factor) }
    }
    return norm
}
