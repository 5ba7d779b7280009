import Archive
import FuzzSupport

/// One fuzz input: the bytes as a standalone `.npy` file, read and memory-mapped.
func fuzzNpy(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let path = FuzzInput.file(start, count, name: "input.npy")
    FuzzInput.expectErrorsOnly { _ = try NpyFile.read(path: path) }
    FuzzInput.expectErrorsOnly { _ = try NpyFile.mapped(path: path) }
    return 0
}

/// The program's entry (SwiftPM names an executable's main `<module>_main`): libFuzzer's driver.
@_cdecl("FuzzNpy_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzNpy)
}
