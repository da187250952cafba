import Foundation
import Testing

private let releaseBinary = ProcessInfo.processInfo.environment["STEWARD_RELEASE_BINARY"]

/// The README's first command builds steward in release (`swift build -c release
/// --static-swift-stdlib`), which Package.swift links differently from the debug build the other
/// tests run: with lld, the functions a run executes first (link/symbol-order.txt), libstdc++
/// from its static archive. scripts/test builds it and names it in STEWARD_RELEASE_BINARY.
@Suite(.enabled(if: releaseBinary != nil, "STEWARD_RELEASE_BINARY is not set (scripts/test builds and sets it)"))
struct ReleaseBuildTests {
    static let binary = releaseBinary

    @Test func needsOnlyGlibcAndTheGCCRuntime() throws {
        let result = try run("/usr/bin/env", ["ldd", try #require(Self.binary)])
        #expect(result.status == 0, "\(result.stderr)")
        let allowed = ["linux-vdso.so", "libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so", "ld-linux", "libgcc_s.so"]
        let libraries = result.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(!libraries.isEmpty)
        let unexpected = libraries.filter { library in !allowed.contains { library.contains($0) } }
        #expect(unexpected.isEmpty, "the release binary needs \(unexpected)")
    }

    /// Byte for byte what the debug build reports, on the bundled example and on specvital.
    @Test func reportsWhatTheDebugBuildReports() throws {
        let release = try #require(Self.binary)
        let specvital = Paths.shared.appendingPathComponent("corpus/specvital")
        let runs: [[String]] = [
            ["check", "schema", "--manifest", "ownership.yml", "--no-cache", "--format", "json"],
            ["check", "schema", "--manifest", "ownership.yml", "--no-cache"],
            ["check", specvital.appendingPathComponent("migrations").path, "--manifest",
             specvital.appendingPathComponent("ownership.yml").path, "--no-cache", "--format", "sarif"],
            ["model", "schema", "--manifest", "ownership.yml", "--format", "json"],
        ]
        for arguments in runs {
            let expected = try run(Paths.steward, arguments, in: Paths.packageRoot)
            let actual = try run(release, arguments, in: Paths.packageRoot)
            #expect(!expected.stdout.isEmpty, "\(arguments): \(expected.stderr)")
            #expect(actual.status == expected.status, "\(arguments): \(actual.stderr)")
            #expect(actual.stdout == expected.stdout, "\(arguments)")
        }
    }

    /// The linker followed link/symbol-order.txt, and the list is current: most of the functions it
    /// names exist, and they come before the others.
    @Test func theListedFunctionsComeFirst() throws {
        let list = try String(contentsOf: Paths.packageRoot.appendingPathComponent("link/symbol-order.txt"), encoding: .utf8)
        let listed = Set(list.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        let symbols = try run("/usr/bin/env", ["nm", "--defined-only", try #require(Self.binary)])
        #expect(symbols.status == 0, "\(symbols.stderr)")
        var listedAddresses: [UInt64] = [], otherAddresses: [UInt64] = []
        var definitions: [String: Int] = [:]
        for line in symbols.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, "tTwW".contains(fields[1]), let address = UInt64(fields[0], radix: 16) else { continue }
            let name = String(fields[2])
            definitions[name, default: 0] += 1
            if listed.contains(name) { listedAddresses.append(address) } else { otherAddresses.append(address) }
        }
        let found = listed.filter { definitions[$0] != nil }.count
        #expect(Double(found) >= 0.9 * Double(listed.count),
                "only \(found) of the \(listed.count) functions link/symbol-order.txt names exist: run scripts/symbol-order")
        listedAddresses.sort()
        otherAddresses.sort()
        let mostListed = try #require(listedAddresses.dropFirst(listedAddresses.count * 9 / 10).first)
        let medianOther = try #require(otherAddresses.dropFirst(otherAddresses.count / 2).first)
        #expect(mostListed < medianOther, "the listed functions are not placed first")
    }
}
