/// Dropout and masked fill.
extension Tape {
    /// Zeroes each element with probability `p` and scales the rest by
    /// 1 / (1 - p) (inverted dropout). Draws from `rng`.
    public func dropout(_ x: Variable, probability p: Float, using rng: inout SeededGenerator) -> Variable {
        require(p >= 0 && p < 1, AutogradError(op: "dropout", "probability must be in [0, 1), got \(p)"))
        let xv = x.value
        let keepScale = 1 / (1 - p)
        var mask = Tensor(uninitializedShape: xv.shape)
        var out = Tensor(uninitializedShape: xv.shape)
        mask.withUnsafeMutableBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                let s = xv.storage.pointer
                for i in 0..<m.count {
                    m[i] = rng.nextUnitFloat() < p ? 0 : keepScale
                    o[i] = s[i] * m[i]
                }
            }
        }
        let scales = mask
        let x = x.handle
        return record(op: "dropout", value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in
                let gp = g.storage.pointer, m = scales.storage.pointer
                for i in 0..<scales.count { d[i] += gp[i] * m[i] }
            }
        }
    }

    /// Replaces the elements where `mask` is true by `value`. The mask may be
    /// shorter than `x` when `x`'s element count is a multiple of it: it then
    /// repeats (an [L, L] attention mask over a [B, L, L] score tensor).
    public func maskedFill(_ x: Variable, mask: [Bool], value: Float) -> Variable {
        let xv = x.value
        require(!mask.isEmpty && xv.count % mask.count == 0,
                AutogradError(op: "maskedFill", "mask of \(mask.count) elements does not tile input \(xv.shape)"))
        var out = Tensor(uninitializedShape: xv.shape)
        let period = mask.count
        out.withUnsafeMutableBufferPointer { o in
            let s = xv.storage.pointer
            for i in 0..<o.count { o[i] = mask[i % period] ? value : s[i] }
        }
        let x = x.handle
        return record(op: "maskedFill", value: out, inputs: [x]) { tape, g in
            tape.withGradient(of: x) { d in
                let gp = g.storage.pointer
                for i in 0..<xv.count where !mask[i % period] { d[i] += gp[i] }
            }
        }
    }
}
