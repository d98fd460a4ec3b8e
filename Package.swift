// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "EventLab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "eventlab", targets: ["eventlab"]),
        .library(name: "EventLabCore", targets: ["EventLabCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        .target(name: "CCRC32C"),
        .target(name: "CAllocator"),
        .target(name: "EventLabCore", dependencies: ["CCRC32C"]),
        .target(name: "EventLabStorage", dependencies: ["EventLabCore"]),
        .target(name: "EventLabPatterns", dependencies: ["EventLabCore"]),
        .target(name: "EventLabShell", dependencies: ["EventLabCore", "EventLabPatterns"]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CCRC32", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "EventLabWire", dependencies: ["EventLabCore", "CZlib", "CCRC32"]),
        .target(
            name: "EventLabServer",
            dependencies: [
                "EventLabCore", "EventLabWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "LineEditor", dependencies: ["CLibEdit"]),
        .executableTarget(
            name: "eventlab",
            dependencies: [
                "EventLabCore",
                "CAllocator",
                "EventLabServer",
                "EventLabShell",
                "EventLabStorage",
                "LineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "eventlab-bench",
            dependencies: [
                "EventLabCore",
                "EventLabPatterns",
                "EventLabShell",
                "EventLabStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "EventLabTestSupport", dependencies: ["EventLabCore", "EventLabStorage"],
            path: "Tests/EventLabTestSupport"),
        .executableTarget(
            name: "eventlab-fuzz",
            dependencies: [
                "EventLabCore", "EventLabServer", "EventLabStorage", "EventLabWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "EventLabCoreTests", dependencies: ["EventLabCore", "EventLabTestSupport"]),
        .testTarget(name: "EventLabBrokerTests", dependencies: ["EventLabCore", "EventLabStorage", "EventLabTestSupport"]),
        .testTarget(
            name: "EventLabStorageTests",
            dependencies: ["EventLabCore", "EventLabStorage", "EventLabTestSupport", "eventlab-bench"]),
        .testTarget(name: "EventLabCLITests", dependencies: ["eventlab", "eventlab-bench", "EventLabTestSupport"]),
        .testTarget(name: "EventLabWireTests", dependencies: ["EventLabWire", "EventLabTestSupport"]),
        .testTarget(
            name: "EventLabServerTests",
            dependencies: [
                "EventLabServer", "EventLabWire", "EventLabCore", "EventLabTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
        .testTarget(name: "EventLabShellTests", dependencies: ["EventLabShell", "EventLabCore", "EventLabStorage", "EventLabWire", "EventLabTestSupport"]),
        .testTarget(name: "EventLabPatternsTests", dependencies: ["EventLabPatterns", "EventLabCore", "EventLabTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
