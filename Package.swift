// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Opt-in code generation for a CPU family (for example `haswell`: AVX2 and
/// FMA). The Makefile sets it when /proc/cpuinfo shows AVX2 and FMA; left
/// unset, the package builds for baseline x86-64 and stays usable as a
/// dependency (unsafe flags are only added when asked for).
let targetCPU = ProcessInfo.processInfo.environment["WARMSTART_TARGET_CPU"].flatMap { $0.isEmpty ? nil : $0 }
let cpuSettings: [SwiftSetting] = targetCPU.map { [.unsafeFlags(["-target-cpu", $0])] } ?? []

/// Warmstart: learn item embeddings, pack them into archives, and warm-start
/// downstream models from them. See README.md for the module map.
let package = Package(
    name: "Warmstart",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "warmstart", targets: ["WarmstartCLI"]),
        // Everything below in one import: `import Warmstart`.
        .library(name: "Warmstart", targets: ["Warmstart"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "Layers", targets: ["Layers"]),
        .library(name: "Optimizers", targets: ["Optimizers"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Archive", targets: ["Archive"]),
        .library(name: "FileIO", targets: ["FileIO"]),
        .library(name: "Pretraining", targets: ["Pretraining"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Downstream", targets: ["Downstream"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "SparkEngine", targets: ["SparkEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
            dependencies: ["CBLAS", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: cpuSettings),
        .target(name: "Layers", dependencies: ["Autograd"], swiftSettings: cpuSettings),
        .target(name: "Optimizers", dependencies: ["Autograd", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: cpuSettings),
        .target(name: "FileIO", dependencies: ["CArchive", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Datasets", dependencies: ["Autograd", "FileIO"]),
        .target(name: "Archive", dependencies: ["Autograd", "FileIO"]),
        .target(
            name: "Pretraining",
            dependencies: ["Autograd", "Layers", "Optimizers", "Datasets", "Archive", "Evaluation",
                           .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: cpuSettings),
        .target(name: "Evaluation", dependencies: ["Autograd", "Datasets", "Archive"]),
        .target(name: "Downstream", dependencies: ["Autograd", "Layers", "Optimizers", "Datasets", "Archive", "Evaluation", "FileIO"],
                swiftSettings: cpuSettings),
        .target(name: "SparkEngine", dependencies: ["Archive", "Autograd", "Datasets", "Downstream", "Evaluation", "FileIO", "Pretraining"],
                resources: [.copy("Job/warmstart_spark.py")]),
        .target(name: "Reports", dependencies: ["Autograd", "Datasets", "Archive", "Evaluation", "Downstream", "FileIO", "Pretraining"]),
        .target(name: "Warmstart", dependencies: ["Archive", "Autograd", "Datasets", "Downstream", "Evaluation", "FileIO", "Layers",
                                                  "Optimizers", "Pretraining", "Reports", "SparkEngine"]),
        .target(name: "Benchmarks", dependencies: ["Autograd", "Layers", "Optimizers", "Archive", "FileIO", "Datasets", "Pretraining", "Evaluation", "Downstream", "CBLAS"]),
        .executableTarget(
            name: "WarmstartCLI",
            dependencies: [
                "Autograd", "Layers", "Optimizers", "Datasets", "Archive", "FileIO", "Pretraining", "Evaluation", "Downstream", "Reports", "Benchmarks", "SparkEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(name: "FileIOTests", dependencies: ["FileIO"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "FileIO", "Autograd"]),
        .testTarget(name: "PretrainingTests", dependencies: ["Pretraining", "Evaluation", "Datasets", "Archive", "Autograd", "Optimizers"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Datasets", "Archive", "Autograd"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Evaluation", "Downstream", "Archive", "Autograd"]),
        .testTarget(name: "DownstreamTests", dependencies: ["Downstream", "Evaluation", "Pretraining", "Datasets", "Archive", "Autograd", "Layers", "Optimizers"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Autograd"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SparkEngineTests", dependencies: ["SparkEngine", "Archive", "Autograd", "Datasets", "Downstream", "FileIO", "Pretraining"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Optimizers", "Autograd"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "Layers", "Autograd"]),
        // Runs the `warmstart` binary (the dependency makes `swift test` build it) on a committed corpus of hostile inputs.
        .testTarget(name: "CLITests", dependencies: ["WarmstartCLI", "Archive", "FileIO", "Autograd", "Benchmarks", "Datasets", "Downstream", "Pretraining", "Reports"],
                    exclude: ["Corpus"]),
    ]
)
