import Autograd
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
}
