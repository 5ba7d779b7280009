// swift-tools-version: 6.0
import PackageDescription

/// Coverage-guided fuzz targets (libFuzzer) for every reader of untrusted
/// files: the archive reader and the three import formats. Built and run by
/// `make fuzz` with `-sanitize=fuzzer,address`; each target reads the bytes
/// libFuzzer hands it as a file and must end in a thrown error or a result,
/// never a trap, an address-sanitizer report or a runaway allocation.
let package = Package(
    name: "WarmstartFuzz",
    dependencies: [.package(name: "Warmstart", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "Archive", package: "Warmstart")]),
        .executableTarget(name: "FuzzArchive", dependencies: ["FuzzSupport", .product(name: "Archive", package: "Warmstart")]),
        .executableTarget(name: "FuzzNpy", dependencies: ["FuzzSupport", .product(name: "Archive", package: "Warmstart")]),
        .executableTarget(name: "FuzzWord2Vec", dependencies: ["FuzzSupport", .product(name: "Archive", package: "Warmstart")]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", .product(name: "Archive", package: "Warmstart")]),
    ]
)
