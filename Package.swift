// swift-tools-version:6.0
import PackageDescription

/// A release binary carries the Swift runtime and Foundation in itself (as `--static-swift-stdlib`
/// builds it): a cron host needs no Swift toolchain, and each call into the runtime (reference
/// counting, allocation: millions a night) skips the shared library's indirection, about 5% of a
/// run's CPU on the bench corpus. The modules that import Foundation are compiled for it too, so
/// that they ask the linker for the static libraries Foundation needs.
let staticRuntime: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]

let package = Package(
    name: "vendor-risk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vendor-risk", targets: ["vendor-risk"]),
        .library(name: "VendorRisk", targets: ["VendorRisk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CXXHash",
            pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"])]
        ),
        .target(
            name: "CSQLiteSetup",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .target(
            name: "VendorRisk",
            dependencies: [
                "CLibXML2",
                "CXXHash",
                "CSQLiteSetup",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: staticRuntime
        ),
        .executableTarget(
            name: "vendor-risk",
            dependencies: [
                "VendorRisk",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: staticRuntime,
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release)),
                // mimalloc as the process's malloc (linked, it takes the place of glibc's for every
                // library): a night makes and frees millions of small strings and arrays on three
                // threads, and glibc's allocator cost ~5% more of a run's CPU (bench.py).
                .linkedLibrary("mimalloc", .when(platforms: [.linux])),
            ]
        ),
        .testTarget(
            name: "VendorRiskTests",
            dependencies: [
                "VendorRisk",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fetching/Fixtures"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["vendor-risk"]
        ),
    ]
)
