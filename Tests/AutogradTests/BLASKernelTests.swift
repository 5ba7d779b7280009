import Autograd
import Foundation
import Testing

@Suite("OpenBLAS kernel choice")
struct BLASKernelTests {
    static let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]

    @Test("asks for an AVX kernel only when OpenBLAS fell back to Prescott and the user set nothing")
    func override() {
        #expect(BLASKernel.fallbackOverride(environment: [:], currentKernel: "Prescott", cpuFlags: Self.avx512) == "SkylakeX")
        #expect(BLASKernel.fallbackOverride(environment: [:], currentKernel: "Prescott", cpuFlags: ["avx2", "fma"]) == "Haswell")
        #expect(BLASKernel.fallbackOverride(environment: [:], currentKernel: "Prescott", cpuFlags: ["sse4_2"]) == nil)
        #expect(BLASKernel.fallbackOverride(environment: [:], currentKernel: "Zen", cpuFlags: Self.avx512) == nil)
        #expect(BLASKernel.fallbackOverride(environment: ["OPENBLAS_CORETYPE": "keep"], currentKernel: "Prescott",
                                            cpuFlags: Self.avx512) == nil)
    }

    @Test("the library picks a kernel in-process before its first product, and products stay exact")
    func selectInProcess() async {
        // A child process: switching kernels is only safe while no other thread multiplies.
        await #expect(processExitsWith: .success) {
            MathThreads.prepare()
            guard MathThreads.blasThreads == 1 else { exit(3) }
            BLASKernel.select("Prescott")
            guard BLASKernel.current == "Prescott" else { exit(2) }
            let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
            let tape = Tape()
            let c = tape.matmul(tape.constant(a), tape.constant(b)).value
            exit(c.scalars == [58, 64, 139, 154] ? 0 : 4)
        }
    }
}
