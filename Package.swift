// swift-tools-version: 6.0
import PackageDescription

/// Warmstart: learn item embeddings, pack them into archives, and warm-start
/// downstream models from them. See README.md for the module map.
let package = Package(
    name: "Warmstart",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "warmstart", targets: ["WarmstartCLI"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "Layers", targets: ["Layers"]),
        .library(name: "Optimizers", targets: ["Optimizers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CArchive", pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]),
        .target(
            name: "Autograd",
            dependencies: ["CBLAS", .product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "Layers", dependencies: ["Autograd"]),
        .target(name: "Optimizers", dependencies: ["Autograd", .product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "Benchmarks", dependencies: ["Autograd", "Layers", "Optimizers", "CBLAS"]),
        .executableTarget(
            name: "WarmstartCLI",
            dependencies: [
                "Autograd", "Layers", "Optimizers", "Benchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Optimizers", "Autograd"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "Layers", "Autograd"]),
    ]
)
