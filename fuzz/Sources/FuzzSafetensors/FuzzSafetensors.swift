import Archive
import FuzzSupport

/// One fuzz input: the bytes as a `.safetensors` file.
func fuzzSafetensors(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let path = FuzzInput.file(start, count, name: "input.safetensors")
    FuzzInput.expectErrorsOnly { _ = try Interchange.import(format: .safetensors, from: path) }
    return 0
}

/// The program's entry (SwiftPM names an executable's main `<module>_main`): libFuzzer's driver.
@_cdecl("FuzzSafetensors_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzSafetensors)
}
