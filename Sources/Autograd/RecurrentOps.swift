#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A whole GRU layer over a sequence as one recorded op: the forward pass runs
/// every step with one sgemm each, and the backward pass runs
/// back-propagation through time in one closure, instead of ~20 recorded ops
/// per step. Equations and parameter layout are PyTorch's (gates r, z, n).
extension Tape {
    /// Hidden states `[B, T, H]` of a GRU over `x` `[B, T, E]` from a zero state;
    /// `weightIH` `[3H, E]`, `weightHH` `[3H, H]`, biases `[3H]`.
    public func gru(_ x: Variable, weightIH: Variable, weightHH: Variable, biasIH: Variable, biasHH: Variable) -> Variable {
        let xv = x.value, wi = weightIH.value, wh = weightHH.value, bi = biasIH.value, bh = biasHH.value
        require(xv.rank == 3 && wi.rank == 2 && wh.rank == 2 && wi.shape[1] == xv.shape[2] && wh.shape[0] == wi.shape[0]
                && wh.shape[0] == 3 * wh.shape[1] && bi.count == wi.shape[0] && bh.count == wh.shape[0],
                AutogradError(op: "gru", "shapes x \(xv.shape), weight_ih \(wi.shape), weight_hh \(wh.shape), biases \(bi.shape), \(bh.shape) do not fit [B,T,E], [3H,E], [3H,H], [3H]"))
        let (b, t, e) = (xv.shape[0], xv.shape[1], xv.shape[2]), h = wh.shape[1], h3 = 3 * h
        // gi[b*T + s] = x · W_ihᵀ + b_ih for every step at once.
        let gi = UnsafeMutablePointer<Float>.allocate(capacity: b * t * h3)
        gemm(transposeA: false, transposeB: true, m: b * t, n: h3, k: e, a: xv.storage.pointer, b: wi.storage.pointer, beta: 0, c: gi)
        // Per step, kept for backward: r, z, n, hn = W_hn h + b_hn, and the state before the step.
        let count = t * b * h
        let saved = Tensor(uninitializedShape: [5, count])  // r, z, n, hn, previous h
        defer { gi.deallocate() }
        let out = Tensor(uninitializedShape: [b, t, h])
        let r = saved.storage.pointer, z = r + count, n = z + count, hn = n + count, prev = hn + count, o = out.storage.pointer
        // The rows of the batch are independent: each worker runs every step for its own run of rows.
        ParallelRows.forEach(rows: b, width: t * h3) { rows in
            let m = rows.count
            let biasIH = bi.storage.pointer, biasHH = bh.storage.pointer  // read once: a load per element kept these loops scalar
            for row in (rows.lowerBound * t)..<(rows.upperBound * t) { for j in 0..<h3 { gi[row * h3 + j] += biasIH[j] } }
            let gh = UnsafeMutablePointer<Float>.allocate(capacity: m * h3)
            defer { gh.deallocate() }
            for i in (rows.lowerBound * h)..<(rows.upperBound * h) { prev[i] = 0 }
            for s in 0..<t {
                let hp = prev + s * b * h
                for row in 0..<m { (gh + row * h3).update(from: biasHH, count: h3) }
                gemm(transposeA: false, transposeB: true, m: m, n: h3, k: h, a: hp + rows.lowerBound * h, b: wh.storage.pointer, beta: 1, c: gh)
                let base = s * b * h
                for row in rows {
                    let g = gi + (row * t + s) * h3, q = gh + (row - rows.lowerBound) * h3, k = base + row * h
                    gruGates(g, q, r: r + k, z: z + k, n: n + k, hn: hn + k, previous: hp + row * h, next: o + (row * t + s) * h, h)
                    if s + 1 < t { (prev + k + b * h).update(from: o + (row * t + s) * h, count: h) }
                }
            }
        }
        let x = x.handle, weightIH = weightIH.handle, weightHH = weightHH.handle, biasIH = biasIH.handle, biasHH = biasHH.handle
        let kept = saved
        return record(op: "gru", value: out, inputs: [x, weightIH, weightHH, biasIH, biasHH]) { tape, g in
            let sv = kept.storage.pointer
            let r = sv, z = r + count, n = z + count, hn = n + count, prev = hn + count
            let dgi = UnsafeMutablePointer<Float>.allocate(capacity: b * t * h3)  // layout as gi: row b*T + s
            // Every step's dgh, step-major like `prev`, so that dW_hh and db_hh
            // are one product and one sum after the loop instead of a small
            // product per step.
            let dghAll = UnsafeMutablePointer<Float>.allocate(capacity: t * b * h3)
            defer { dgi.deallocate(); dghAll.deallocate() }
            let gp = g.storage.pointer
            // Back through time, each worker for its own run of the batch's rows.
            ParallelRows.forEach(rows: b, width: t * h3) { rows in
                let m = rows.count, first = rows.lowerBound
                let dh = UnsafeMutablePointer<Float>.allocate(capacity: m * h), dhNext = UnsafeMutablePointer<Float>.allocate(capacity: m * h)
                defer { dh.deallocate(); dhNext.deallocate() }
                for i in 0..<(m * h) { dhNext[i] = 0 }
                for s in stride(from: t - 1, through: 0, by: -1) {
                    let base = s * b * h, hp = prev + base, dgh = dghAll + s * b * h3
                    for row in rows {
                        let k = base + row * h, local = (row - first) * h
                        gruGateGradients(upstream: gp + (row * t + s) * h, later: dhNext + local, r: r + k, z: z + k, n: n + k, hn: hn + k,
                                         previous: hp + row * h, dgi: dgi + (row * t + s) * h3, dgh: dgh + row * h3, dh: dh + local, h)
                    }
                    // dh_prev = dh·z + dgh · W_hh
                    gemm(transposeA: false, transposeB: false, m: m, n: h, k: h3, a: dgh + first * h3, b: wh.storage.pointer, beta: 1, c: dh)
                    dhNext.update(from: dh, count: m * h)
                }
            }
            // dW_hh += Σ steps dghᵀ · h_prev; db_hh += Σ steps and rows dgh
            tape.withGradient(of: weightHH) { d in
                gemm(transposeA: true, transposeB: false, m: h3, n: h, k: t * b, a: dghAll, b: prev, beta: 1, c: d)
            }
            tape.withGradient(of: biasHH) { d in for row in 0..<(t * b) { for j in 0..<h3 { d[j] += dghAll[row * h3 + j] } } }
            tape.withGradient(of: biasIH) { d in for row in 0..<(b * t) { for j in 0..<h3 { d[j] += dgi[row * h3 + j] } } }
            tape.withGradient(of: weightIH) { d in
                gemm(transposeA: true, transposeB: false, m: h3, n: e, k: b * t, a: dgi, b: xv.storage.pointer, beta: 1, c: d)
            }
            tape.withGradient(of: x) { d in
                gemm(transposeA: false, transposeB: false, m: b * t, n: e, k: h3, a: dgi, b: wi.storage.pointer, beta: 1, c: d)
            }
        }
    }
}

/// One GRU step's gates for one row, eight lanes at a time:
/// r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n),
/// next = n + z·(previous − n); `hn` keeps gh_n.
@inline(__always)
private func gruGates(_ g: UnsafePointer<Float>, _ q: UnsafePointer<Float>, r: UnsafeMutablePointer<Float>,
                      z: UnsafeMutablePointer<Float>, n: UnsafeMutablePointer<Float>, hn: UnsafeMutablePointer<Float>,
                      previous: UnsafePointer<Float>, next: UnsafeMutablePointer<Float>, _ h: Int) {
    var j = 0
    while j + 8 <= h {
        let rr = vectorSigmoid(SIMD8(loading: g + j) + SIMD8(loading: q + j))
        let zz = vectorSigmoid(SIMD8(loading: g + h + j) + SIMD8(loading: q + h + j))
        let hh = SIMD8<Float>(loading: q + 2 * h + j)
        let nn = vectorTanh(SIMD8(loading: g + 2 * h + j) + rr * hh)
        rr.store(to: r + j); zz.store(to: z + j); hh.store(to: hn + j); nn.store(to: n + j)
        (nn + zz * (SIMD8(loading: previous + j) - nn)).store(to: next + j)
        j += 8
    }
    while j < h {
        r[j] = vectorSigmoid(g[j] + q[j])
        z[j] = vectorSigmoid(g[h + j] + q[h + j])
        hn[j] = q[2 * h + j]
        n[j] = vectorTanh(g[2 * h + j] + r[j] * hn[j])
        next[j] = n[j] + z[j] * (previous[j] - n[j])
        j += 1
    }
}

/// One GRU step's gate gradients for one row, eight lanes at a time: from
/// the state's gradient d = `upstream` + `later` (the next step's), the
/// pre-activation gradients of r, z and n into `dgi` (and into `dgh`, with
/// n's times r), and d·z into `dh`.
@inline(__always)
private func gruGateGradients(upstream: UnsafePointer<Float>, later: UnsafePointer<Float>, r: UnsafePointer<Float>, z: UnsafePointer<Float>,
                              n: UnsafePointer<Float>, hn: UnsafePointer<Float>, previous: UnsafePointer<Float>,
                              dgi: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>, dh: UnsafeMutablePointer<Float>, _ h: Int) {
    var j = 0
    while j + 8 <= h {
        let d = SIMD8(loading: upstream + j) + SIMD8(loading: later + j)
        let rr = SIMD8<Float>(loading: r + j), zz = SIMD8<Float>(loading: z + j), nn = SIMD8<Float>(loading: n + j)
        let dnPre = d * (1 - zz) * (1 - nn * nn)
        let dzPre = d * (SIMD8(loading: previous + j) - nn) * zz * (1 - zz)
        let drPre = dnPre * SIMD8(loading: hn + j) * rr * (1 - rr)
        drPre.store(to: dgi + j); dzPre.store(to: dgi + h + j); dnPre.store(to: dgi + 2 * h + j)
        drPre.store(to: dgh + j); dzPre.store(to: dgh + h + j); (dnPre * rr).store(to: dgh + 2 * h + j)
        (d * zz).store(to: dh + j)
        j += 8
    }
    while j < h {
        let d = upstream[j] + later[j]
        let rr = r[j], zz = z[j], nn = n[j]
        let dnPre = d * (1 - zz) * (1 - nn * nn)
        let dzPre = d * (previous[j] - nn) * zz * (1 - zz)
        let drPre = dnPre * hn[j] * rr * (1 - rr)
        dgi[j] = drPre; dgi[h + j] = dzPre; dgi[2 * h + j] = dnPre
        dgh[j] = drPre; dgh[h + j] = dzPre; dgh[2 * h + j] = dnPre * rr
        dh[j] = d * zz
        j += 1
    }
}
