import Autograd
import Foundation
import Layers
import Testing

@Suite("GRU and self-attention")
struct SequenceLayerTests {
    @Test("GRU matches a hand-unrolled Float64 reference of PyTorch's equations")
    func gruReference() {
        var rng = SeededGenerator(seed: 1)
        let (b, t, e, h) = (2, 3, 4, 5)
        let gru = GRU(inputs: e, hidden: h, rng: &rng)
        let x = Tensor.normal(shape: [b, t, e], using: &rng)
        let out = gru(Tape().constant(x)).value
        let wi = gru.weightIH.value, wh = gru.weightHH.value, bi = gru.biasIH.value, bh = gru.biasHH.value
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        for batch in 0..<b {
            var state = [Double](repeating: 0, count: h)
            for step in 0..<t {
                func gate(_ g: Int, _ j: Int) -> (Double, Double) {
                    var a = Double(bi[flat: g * h + j]), c = Double(bh[flat: g * h + j])
                    for k in 0..<e { a += Double(wi[g * h + j, k]) * Double(x[flat: (batch * t + step) * e + k]) }
                    for k in 0..<h { c += Double(wh[g * h + j, k]) * state[k] }
                    return (a, c)
                }
                var next = state
                for j in 0..<h {
                    let (ri, rh) = gate(0, j), (zi, zh) = gate(1, j), (ni, nh) = gate(2, j)
                    let r = sigmoid(ri + rh), z = sigmoid(zi + zh), n = Foundation.tanh(ni + r * nh)
                    next[j] = (1 - z) * n + z * state[j]
                }
                state = next
                for j in 0..<h { #expect(abs(Double(out[flat: (batch * t + step) * h + j]) - state[j]) < 1e-5) }
            }
        }
    }

    @Test("GRU and self-attention gradients against finite differences")
    func gradients() throws {
        var rng = SeededGenerator(seed: 2)
        let gru = GRU(inputs: 3, hidden: 4, rng: &rng)
        let x = Parameter(.normal(shape: [2, 3, 3], using: &rng))
        let report = try GradientCheck.check(parameters: [x] + gru.parameters) { tape in gru(tape.parameter(x)) }
        #expect(report.maxRelativeError < 5e-3, "\(report)")
        let padding = [true, false, false, false, false, false]
        let y = Parameter(.normal(shape: [2, 3, 4], using: &rng))
        let attention = MultiHeadSelfAttention(width: 4, heads: 2, dropout: 0, rng: &rng)
        let a = try GradientCheck.check(parameters: [y] + attention.parameters) { tape in attention(tape.parameter(y), mask: AttentionMask(keyIsPadding: padding, length: 3)) }
        #expect(a.maxRelativeError < 1e-3, "\(a)")
        // The block has a ReLU: a smaller step keeps the differences off its kink.
        let block = SelfAttentionBlock(width: 4, heads: 2, dropout: 0, rng: &rng)
        let blockReport = try GradientCheck.check(parameters: [y] + block.parameters, step: 1e-3) { tape in
            block(tape.parameter(y), mask: AttentionMask(keyIsPadding: padding, length: 3))
        }
        #expect(blockReport.maxRelativeError < 1e-2, "\(blockReport)")
    }

    @Test("attention is causal and ignores padding keys")
    func causalAndPadding() {
        var rng = SeededGenerator(seed: 3)
        let block = SelfAttentionBlock(width: 8, heads: 2, dropout: 0, rng: &rng)
        var x = Tensor.normal(shape: [1, 5, 8], using: &rng)
        let padding = [true, false, false, false, false]
        let before = block(Tape().constant(x), mask: AttentionMask(keyIsPadding: padding, length: 5)).value
        x.withUnsafeMutableBufferPointer { p in for j in 0..<8 { p[4 * 8 + j] += 3; p[0 * 8 + j] -= 5 } }  // change the future and the padding
        let after = block(Tape().constant(x), mask: AttentionMask(keyIsPadding: padding, length: 5)).value
        for i in 1...3 { for j in 0..<8 { #expect(abs(before[flat: i * 8 + j] - after[flat: i * 8 + j]) < 1e-5, "position \(i)") } }
        #expect((0..<8).contains { abs(before[flat: 32 + $0] - after[flat: 32 + $0]) > 1e-3 })
    }
}
