/// Dropout and masked fill.
extension Tape {
    /// Zeroes each element with probability `p` and scales the rest by
    /// 1 / (1 - p) (inverted dropout). One draw from `rng` keys a
    /// counter-based hash that decides every element (see `dropoutKeeps`),
    /// so the mask loop vectorises and splits across threads while staying
    /// a pure function of the seed.
    public func dropout(_ x: Variable, probability p: Float, using rng: inout SeededGenerator) -> Variable {
        require(p >= 0 && p < 1, AutogradError(op: "dropout", "probability must be in [0, 1), got \(p)"))
        let xv = x.value
        let keepScale = 1 / (1 - p)
        let key = rng.next()
        let threshold = UInt32((Double(p) * 16_777_216).rounded())
        var mask = Tensor(uninitializedShape: xv.shape)
        var out = Tensor(uninitializedShape: xv.shape)
        mask.withUnsafeMutableBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                let s = xv.storage.pointer, m = m.baseAddress!, o = o.baseAddress!
                ParallelRows.forEach(rows: xv.count, width: 1) { range in
                    for i in range {
                        m[i] = dropoutKeeps(index: i, key: key, threshold: threshold) ? keepScale : 0
                        o[i] = s[i] * m[i]
                    }
                }
            }
        }
        let scales = mask
        let x = x.handle
        return record(op: "dropout", value: out, inputs: [x]) { tape, g in
            tape.writeGradient(of: x) { d, fresh in
                let gp = g.storage.pointer, m = scales.storage.pointer
                ParallelRows.forEach(rows: scales.count, width: 1) { range in
                    if fresh { for i in range { d[i] = gp[i] * m[i] } } else { for i in range { d[i] += gp[i] * m[i] } }
                }
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

/// Whether dropout keeps element `index`: the top 24 bits of a two-round
/// 32-bit integer hash (Wellons' lowbias32) of the index and `key` are a
/// uniform draw, kept when at least `threshold` (= p·2^24).
@inline(__always)
func dropoutKeeps(index: Int, key: UInt64, threshold: UInt32) -> Bool {
    @inline(__always) func mix(_ v: UInt32) -> UInt32 {
        var x = v
        x ^= x >> 16; x &*= 0x7FEB_352D
        x ^= x >> 15; x &*= 0x846C_A68B
        x ^= x >> 16
        return x
    }
    let h = mix(mix(UInt32(truncatingIfNeeded: index) &+ UInt32(truncatingIfNeeded: key)) ^ UInt32(truncatingIfNeeded: key >> 32))
    return h >> 8 >= threshold
}
