import Archive
import FuzzSupport

/// One fuzz input: the bytes as a word2vec text file and as a word2vec binary file.
func fuzzWord2Vec(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let path = FuzzInput.file(start, count, name: "input.vec")
    FuzzInput.expectErrorsOnly { _ = try Interchange.import(format: .word2vecText, from: path) }
    FuzzInput.expectErrorsOnly { _ = try Interchange.import(format: .word2vecBinary, from: path) }
    return 0
}

/// The program's entry (SwiftPM names an executable's main `<module>_main`): libFuzzer's driver.
@_cdecl("FuzzWord2Vec_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzWord2Vec)
}
