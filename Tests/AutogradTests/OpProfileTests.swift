import Autograd
import Testing

@Suite("Op profile: where a tape's time goes")
struct OpProfileTests {
    /// A 384³ product (about 0.1 GFLOP, forward and two backward products)
    /// beside a ReLU and a sum over its 384² outputs: the product ranks first,
    /// each op is charged once forward, and the gradients are the unprofiled tape's.
    @Test func chargesEachOp() throws {
        let a = randomParameter([384, 384], seed: 1), b = randomParameter([384, 384], seed: 2)
        func run(_ profile: OpProfile?) throws -> Tensor {
            a.zeroGradient(); b.zeroGradient()
            let tape = Tape(profile: profile)
            try tape.backward(tape.sum(tape.relu(tape.matmul(tape.parameter(a), tape.parameter(b)))))
            return a.materializedGradient()
        }
        let profile = OpProfile()
        let profiled = try run(profile), plain = try run(nil)
        #expect((0..<plain.count).allSatisfy { profiled[flat: $0] == plain[flat: $0] })
        let entries = Dictionary(uniqueKeysWithValues: profile.ranked.map { ($0.name, $0) })
        #expect(profile.ranked.first?.name == "matmul", "\(profile.ranked)")
        #expect(entries["matmul"]?.calls == 1 && entries["relu"]?.calls == 1 && entries["parameter"]?.calls == 2)
        let matmul = try #require(entries["matmul"]), relu = try #require(entries["relu"])
        #expect(matmul.backward > relu.backward)
        #expect(abs(profile.totalSeconds - profile.ranked.reduce(0) { $0 + $1.forward + $1.backward }) < 1e-12)
    }

    /// A phase is timed only when there is a profile, and its result passes through.
    @Test func measuresPhases() {
        let profile = OpProfile()
        #expect(OpProfile.measure(profile, "phase") { 7 } == 7)
        #expect(OpProfile.measure(nil, "phase") { 8 } == 8)
        #expect(profile.ranked.map(\.name) == ["phase"] && profile.ranked[0].calls == 1)
    }
}
