import Archive
import FuzzSupport

/// One fuzz input: the bytes as a `.warm` archive, read fully and checked.
func fuzzArchive(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let path = FuzzInput.file(start, count, name: "input.warm")
    FuzzInput.expectErrorsOnly {
        let contents = try WarmArchive.read(path: path)
        if contents.manifest.kind == "embeddings" { _ = try KeyedEmbeddings(contents) }
    }
    FuzzInput.expectErrorsOnly { _ = try WarmArchive.readManifest(path: path) }
    return 0
}

/// The program's entry (SwiftPM names an executable's main `<module>_main`): libFuzzer's driver.
@_cdecl("FuzzArchive_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzArchive)
}
