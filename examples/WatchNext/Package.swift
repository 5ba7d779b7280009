// swift-tools-version: 6.0
import PackageDescription

/// A next-item recommender warm-started from item vectors, as a user of the Warmstart library writes it.
let package = Package(
    name: "WatchNext",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Warmstart", path: "../..")],
    targets: [.executableTarget(name: "WatchNext", dependencies: [.product(name: "Warmstart", package: "Warmstart")])]
)
