import ArgumentParser
import Autograd
import Foundation

/// Re-executes this program once with a usable OpenBLAS kernel when OpenBLAS
/// fell back to its slowest one on a processor it does not know.
func selectBLASKernel() {
    let environment = ProcessInfo.processInfo.environment
    guard let kernel = BLASKernel.fallbackOverride(environment: environment, currentKernel: BLASKernel.current,
                                                   cpuFlags: BLASKernel.cpuFlags()) else { return }
    setenv("OPENBLAS_CORETYPE", kernel, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    unsetenv("OPENBLAS_CORETYPE")  // exec failed: carry on with the kernel we have
}

selectBLASKernel()
MathThreads.setBLASThreads(1)
Warmstart.main()
