// swift-tools-version: 6.0
import PackageDescription

/// PostgreSQL 15's server headers, where Debian's postgresql-server-dev-15 installs them.
let postgresServerHeaders = "/usr/include/postgresql/15/server"

/// Release builds on Linux link with lld (shipped with Swift's toolchains), the functions a run
/// executes first, in the order scripts/symbol-order lists them: the kernel maps code in runs of
/// pages around each page executed, so hot code spread over the whole binary stays resident in
/// full (docs/benchmarks.md). Names the list has and the binary lacks are ignored. libstdc++ is
/// linked from its static archive (link/static-libstdc++ says why and how). The toolchain's
/// `-export-dynamic` is undone: it put every function of our own modules in the dynamic symbol
/// table (0.9 MB, read at start-up), where nothing looks them up (the archives' are hidden anyway).
let releaseLinking: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/link/symbol-order.txt",
                  "-Xlinker", "--no-warn-symbol-ordering", "-L\(Context.packageDirectory)/link/static-libstdc++",
                  "-Xlinker", "--no-export-dynamic"],
                 .when(platforms: [.linux], configuration: .release)),
]

/// Each function in its own section, so that the linker can place it by that list (release, Linux).
let functionSections: SwiftSetting = .unsafeFlags(["-Xfrontend", "-function-sections"],
                                                  .when(platforms: [.linux], configuration: .release))

let package = Package(
    name: "Steward",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "steward", targets: ["steward"]),
        .library(name: "StewardCore", targets: ["StewardCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // SHA-256 for cache keys (a cache shared by CI jobs is a trust boundary).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libpg_query (Debian: libpg-query-dev, libprotobuf-c-dev). No pkg-config file exists, hence the module map.
        .systemLibrary(name: "CPgQuery", path: "Sources/CPgQuery"),
        // PostgreSQL's raw parse tree (libpg_query's pg_query_raw_parse), read through the server
        // headers of the same major version (Debian: postgresql-server-dev-15).
        // Linked statically (Debian's libpg-query-dev ships libpg_query.a, built against protobuf-c), so that
        // the release binary runs where neither library is installed (scripts/release, checked with ldd in a test).
        .target(name: "CPgQueryRaw", cSettings: [.unsafeFlags(["-I" + postgresServerHeaders, "-Wno-ignored-attributes"])],
                linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libpg_query.a", "-Xlinker", "-l:libprotobuf-c.a"])]),
        // The real PostgreSQL parser, walked as PostgreSQL's own node structs, turned into typed Swift statements.
        .target(name: "StewardSQL", dependencies: ["CPgQuery", "CPgQueryRaw"],
                swiftSettings: [.unsafeFlags(["-Xcc", "-I" + postgresServerHeaders, "-Xcc", "-Wno-ignored-attributes"]), functionSections]),
        // Migration discovery, ownership manifest, schema model, replay and rules. No CLI code.
        .target(name: "StewardCore", dependencies: [
            "StewardSQL", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: [functionSections]),
        // libpq's declarations (Debian: libpq-dev); the library itself is loaded at run time by the
        // live commands, so that `steward check` and the release binary run without it.
        .target(name: "CLibPQ", cSettings: [.unsafeFlags(["-I/usr/include/postgresql"])],
                linkerSettings: [.linkedLibrary("dl")]),
        // hiredis (Debian: libhiredis-dev) for the shared-cache audit, linked from its static archive
        // (it depends on nothing but libc).
        .target(name: "CHiredis", linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libhiredis.a"])]),
        // Live databases: connections (read-only inspection), the catalog as facts, scratch databases,
        // and the shared Redis.
        .target(name: "StewardLive", dependencies: ["StewardCore", "CLibPQ", "CHiredis"],
                swiftSettings: [.unsafeFlags(["-Xcc", "-I/usr/include/postgresql"]), functionSections]),
        // One type per output format.
        .target(name: "StewardReporting", dependencies: ["StewardCore"], swiftSettings: [functionSections]),
        // glibc's allocator settings (<malloc.h>, which Swift's Glibc module leaves out), and the
        // release of the relocation table's pages (<link.h>).
        .target(name: "CAllocator"),
        // Argument parsing only.
        .executableTarget(name: "steward", dependencies: [
            "StewardCore", "StewardReporting", "StewardLive", "CAllocator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: [functionSections], linkerSettings: releaseLinking),
        // libFuzzer target (scripts/fuzz); a normal build replays inputs given as arguments.
        .executableTarget(name: "StewardFuzzer", dependencies: ["StewardCore"]),
        // What tests of several targets share: ../shared and the benchmark's corpus generator.
        .target(name: "StewardTestSupport", path: "Tests/StewardTestSupport"),
        .testTarget(name: "StewardSQLTests", dependencies: ["StewardSQL", "StewardTestSupport"]),
        .testTarget(name: "StewardCoreTests", dependencies: ["StewardCore", "StewardReporting", "StewardTestSupport"]),
        .testTarget(name: "StewardCLITests", dependencies: ["StewardCore", "StewardSQL", "StewardTestSupport"]),
        .testTarget(name: "StewardLiveTests", dependencies: ["StewardLive", "StewardCore", "StewardSQL", "StewardTestSupport"]),
    ]
)
