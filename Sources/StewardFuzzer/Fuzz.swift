import StewardCore
import StewardSQL

/// libFuzzer entry point: any bytes, as a migration of every layout, through the whole
/// pipeline (section masking, meta-commands, parse, statement splitting, DO blocks,
/// replay, ownership, rules). `scripts/fuzz` builds this with `-sanitize=fuzzer,address`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkSerializedTreesRoundTrip(SourceText(bytes: bytes))
    for layout in [MigrationLayout.plain, .goose, .dbmate, .atlas] {
        let file = MigrationDiscovery.file(path: "fuzz.sql", contents: bytes, layout: layout)
        let set = MigrationSet(directory: ".", layout: layout, files: [file], downFiles: [], gaps: [], findings: [])
        let analysis = Analyzer.analyze(set, manifest: FuzzManifest.manifest)
        // Every finding must point inside the file.
        for finding in analysis.findings {
            guard let location = finding.location, location.path == "fuzz.sql" else { continue }
            precondition(location.line >= 1 && location.line <= file.original.lineStarts.count, "finding outside the file: \(finding)")
        }
    }
    return 0
}

/// What the parse-tree cache relies on: statements rebuilt from a stored (serialized) tree
/// are the statements a direct parse gives, and a syntax error is the same error.
func checkSerializedTreesRoundTrip(_ source: SourceText) {
    let range = 0..<source.bytes.count
    let direct = SQLParser.parse(source, range: range)
    let viaTree = SQLParser.serializedTree(source, range: range).flatMap { SQLParser.parse(serializedTree: $0, source: source, range: range) }
    switch (direct, viaTree) {
    case (.success(let first), .success(let second)):
        precondition(first.map(\.range) == second.map(\.range), "statement ranges differ through a stored tree")
        precondition(first.map { "\($0.statement)" } == second.map { "\($0.statement)" }, "statements differ through a stored tree")
    case (.failure(let first), .failure(let second)):
        precondition(first == second, "syntax errors differ through a stored tree")
    default:
        preconditionFailure("a stored tree changes whether the input parses")
    }
}

enum FuzzManifest {
    static let manifest: OwnershipManifest? = try? ManifestLoader.parse("""
        version: 1
        services:
          a: {owners: ["@acme/a"], tables: [t, "a_*"], schemas: [a]}
          b: {owners: ["@acme/b"], tables: [u, v], cache: {prefixes: ["b:"]}}
        boundaries:
          allow:
            - {from: a, to: b, objects: [u], reason: "fuzzing"}
        """, path: "ownership.yml")
}

import Foundation

#if FUZZING
/// libFuzzer's driver for programs that have their own `main` (SwiftPM always gives an
/// executable one).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32
#endif

@main
struct FuzzMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data, size) })
        #else
        // Without libFuzzer (a normal build), replay the inputs given as arguments: reproduces a crash.
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = [UInt8](data) + [0]
            _ = bytes.withUnsafeBufferPointer { fuzz($0.baseAddress!, data.count) }
            print("ok: \(path)")
        }
        #endif
    }
}
