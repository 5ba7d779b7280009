// swift-tools-version: 6.0
import PackageDescription

/// A spam detector fine-tuned from pretrained word vectors, as a user of the Warmstart library writes it.
let package = Package(
    name: "SpamDetector",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Warmstart", path: "../..")],
    targets: [.executableTarget(name: "SpamDetector", dependencies: [.product(name: "Warmstart", package: "Warmstart")])]
)
