// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 mode plus the upcoming features that keep
/// each file's imports and existential uses honest.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "backup-audit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "backup-audit", targets: ["backup-audit"]),
        .executable(name: "aws-backup-emulator", targets: ["aws-backup-emulator"]),
        .library(name: "BackupJobs", targets: ["BackupJobs"]),
        .library(name: "RuleLanguage", targets: ["RuleLanguage"]),
        .library(name: "BackupSelections", targets: ["BackupSelections"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // zlib, for reading gzip-compressed job listings. Debian: zlib1g-dev.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "BackupJobs",
            dependencies: ["CZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // libxml2, for writing JUnit XML (and validating it in tests). Debian: libxml2-dev.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // RE2, for `matches` and `like`: regular expressions matched in time linear in the text,
        // behind a small C interface (no Swift/C++ interop). Debian: libre2-dev.
        .target(
            name: "CRE2",
            linkerSettings: [.linkedLibrary("re2"), .linkedLibrary("pthread")]
        ),
        .target(
            name: "RuleLanguage",
            dependencies: ["BackupJobs", "CRE2"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AWSBackupClient",
            dependencies: [
                "BackupJobs",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // A local ListBackupJobs service for tests and benchmarks: real HTTP, SigV4 verified,
        // opaque page tokens, faults on demand. Never used by backup-audit itself.
        .target(
            name: "BackupServiceEmulator",
            dependencies: [
                "AWSBackupClient",
                "BackupJobs",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "aws-backup-emulator",
            dependencies: [
                "BackupServiceEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Backup plans and selections: decoding the AWS CLI's and the API's documents, deciding which
        // selections select a resource, and the interval a plan's schedule promises. Pure: bytes in,
        // values out.
        .target(
            name: "BackupSelections",
            dependencies: ["BackupJobs"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RuleEngine",
            dependencies: ["BackupJobs", "RuleLanguage"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Reports",
            dependencies: ["BackupJobs", "RuleLanguage", "RuleEngine", "CLibXML2", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The CI gate: evaluation, reports and the decision, as a library type the CLI calls.
        .target(
            name: "Gate",
            dependencies: ["BackupJobs", "RuleLanguage", "RuleEngine", "Reports"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "backup-audit",
            dependencies: [
                "BackupJobs",
                "RuleLanguage",
                "RuleEngine",
                "Reports",
                "Gate",
                "AWSBackupClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BackupJobsTests",
            dependencies: ["BackupJobs", "TestSupport"],
            exclude: ["Decoding/moto_get_resources.py"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BackupSelectionsTests",
            dependencies: ["BackupSelections", "BackupJobs", "TestSupport"],
            exclude: ["moto_backup_plans.py"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RuleLanguageTests",
            dependencies: ["RuleLanguage"],
            exclude: ["Goldens"],
            swiftSettings: strictSettings
        ),
        // Builders and the process runner shared by the test targets.
        .target(
            name: "TestSupport",
            dependencies: ["BackupJobs"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RuleEngineTests",
            // Reports words findings: the explainer's tests read what reports say.
            dependencies: ["RuleEngine", "RuleLanguage", "BackupJobs", "Reports", "TestSupport"],
            exclude: ["reference_rulepack.py"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "RuleEngine", "RuleLanguage", "BackupJobs", "TestSupport"],
            exclude: ["Goldens"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GateTests",
            dependencies: ["Gate", "Reports", "RuleEngine", "RuleLanguage", "BackupJobs", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AWSBackupClientTests",
            dependencies: ["AWSBackupClient", "BackupServiceEmulator", "BackupJobs", "TestSupport"],
            exclude: ["Fetch/botocore_requests.py", "Fetch/botocore_paginate.py"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BackupAuditCLITests",
            dependencies: ["backup-audit", "BackupServiceEmulator", "AWSBackupClient", "BackupJobs", "TestSupport"],
            exclude: ["Goldens", "Screenshots"],
            swiftSettings: strictSettings
        ),
    ],
    // RE2 20220601 (Debian's libre2-dev) needs C++11; its headers build cleanly as C++14.
    cxxLanguageStandard: .cxx14
)
