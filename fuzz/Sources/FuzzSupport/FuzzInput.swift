import Foundation

/// Writes each fuzz input to one file (in /dev/shm when it exists) so the
/// readers, which take paths, see exactly those bytes.
public enum FuzzInput {
    /// The folder this process writes its inputs into.
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let dir = base + "/warmstart-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Writes `count` bytes at `start` to `name` in the input folder and returns its path.
    public static func file(_ start: UnsafeRawPointer, _ count: Int, name: String) -> String {
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count))
        return path
    }

    /// Runs `body`; any thrown error is the expected outcome for bad input.
    public static func expectErrorsOnly(_ body: () throws -> Void) {
        do { try body() } catch {}
    }
}

/// libFuzzer's driver, for a program that has its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

/// Runs libFuzzer with the program's arguments, calling `callback` per input.
public func runFuzzer(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}
