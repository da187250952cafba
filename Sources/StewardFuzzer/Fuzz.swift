import StewardCore
import StewardSQL

/// libFuzzer entry point: any bytes, as a migration of every layout, through the whole
/// pipeline (section masking, meta-commands, parse, statement splitting, DO blocks,
/// replay, ownership, rules). `scripts/fuzz` builds this with `-sanitize=fuzzer,address`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkRawTreeMatchesProtobuf(SourceText(bytes: bytes))
    for layout in [MigrationLayout.plain, .goose, .dbmate, .atlas, .sqitch] {
        let file = MigrationDiscovery.file(path: "fuzz.sql", contents: bytes, layout: layout)
        let set = MigrationSet(directory: ".", layout: layout, files: [file], downFiles: [], gaps: [], findings: [])
        let analysis = Analyzer.analyze(set, manifest: FuzzManifest.manifest)
        // Every finding and every replay issue must point inside the file.
        for finding in analysis.findings {
            guard let location = finding.location, location.path == "fuzz.sql" else { continue }
            precondition(location.line >= 1 && location.line <= file.original.lineStarts.count, "finding outside the file: \(finding)")
        }
        for issue in analysis.model.issues where issue.origin.path == "fuzz.sql" {
            precondition(issue.origin.line >= 1 && issue.origin.line <= file.original.lineStarts.count, "replay issue outside the file: \(issue)")
        }
        // The model holds no partition or inheritance cycle (walks over it could not end).
        for table in analysis.model.tables.values {
            var seen: Set<ObjectName> = [table.name]
            var parent = table.partitionOf
            while let next = parent {
                precondition(seen.insert(next).inserted, "partition cycle through \(table.name)")
                parent = analysis.model.tables[next]?.partitionOf
            }
            precondition(!table.inheritsFrom.contains(table.name), "\(table.name) inherits from itself")
        }
    }
    return 0
}

/// The raw parse tree, read through the server headers, converts to exactly the statements that
/// libpg_query's protobuf API gives (the differential property of `RawParseDifferentialTests`),
/// and a syntax error is the same error.
func checkRawTreeMatchesProtobuf(_ source: SourceText) {
    let range = 0..<source.bytes.count
    let raw = SQLParser.parse(source, range: range)
    let protobuf = SQLParser.parseThroughProtobuf(source, range: range)
    switch (raw, protobuf) {
    case (.success(let first), .success(let second)):
        precondition(first.map(\.range) == second.map(\.range), "statement ranges differ between the raw tree and protobuf")
        precondition(first.map(SQLParser.referenceDescription) == second.map(SQLParser.referenceDescription), "statements differ between the raw tree and protobuf")
    case (.failure(let first), .failure(let second)):
        precondition(first == second, "syntax errors differ between the raw tree and protobuf")
    default:
        preconditionFailure("the raw tree and protobuf disagree on whether the input parses")
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

#if FUZZING
@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int
#endif

/// Replay bugs live in combinations of statements (attach, then drop; rename, then alter),
/// not of bytes. Statement-level mutations, with statement boundaries from libpg_query's
/// scanner: repeat, drop or swap whole statements; otherwise libFuzzer's byte mutations.
@_cdecl("LLVMFuzzerCustomMutator")
public func mutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var generator = SplitMix(seed: UInt64(seed))
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var statements = StatementSplice.statements(of: bytes)
    if statements.count >= 1, generator.next() % 4 != 0 {
        let pick = Int(generator.next() % UInt64(statements.count))
        switch generator.next() % 3 {
        case 0: statements.insert(statements[pick], at: Int(generator.next() % UInt64(statements.count + 1)))
        case 1 where statements.count > 1: statements.remove(at: pick)
        default: statements.swapAt(pick, Int(generator.next() % UInt64(statements.count)))
        }
        return StatementSplice.write(statements, to: data, maxSize: maxSize)
    }
    #if FUZZING
    return LLVMFuzzerMutate(data, size, maxSize)
    #else
    return size
    #endif
}

/// Splices whole statements of two inputs (seeds from different migration sets meet here).
@_cdecl("LLVMFuzzerCustomCrossOver")
public func crossOver(_ first: UnsafePointer<UInt8>, _ firstSize: Int, _ second: UnsafePointer<UInt8>, _ secondSize: Int,
                      _ output: UnsafeMutablePointer<UInt8>, _ maxSize: Int, _ seed: UInt32) -> Int {
    var generator = SplitMix(seed: UInt64(seed))
    let left = StatementSplice.statements(of: Array(UnsafeBufferPointer(start: first, count: firstSize)))
    let right = StatementSplice.statements(of: Array(UnsafeBufferPointer(start: second, count: secondSize)))
    var spliced: [[UInt8]] = []
    var (i, j) = (0, 0)
    while i < left.count || j < right.count {
        if j >= right.count || (i < left.count && generator.next() % 2 == 0) { spliced.append(left[i]); i += 1 } else { spliced.append(right[j]); j += 1 }
    }
    return StatementSplice.write(spliced, to: output, maxSize: maxSize)
}

enum StatementSplice {
    static func statements(of bytes: [UInt8]) -> [[UInt8]] {
        guard case .success(let ranges) = SQLParser.split(SourceText(bytes: bytes)) else { return [bytes] }
        return ranges.filter { $0.upperBound <= bytes.count }.map { Array(bytes[$0]) + Array(";\n".utf8) }
    }

    static func write(_ statements: [[UInt8]], to output: UnsafeMutablePointer<UInt8>, maxSize: Int) -> Int {
        var written = 0
        for statement in statements where written + statement.count <= maxSize {
            for byte in statement { output[written] = byte; written += 1 }
        }
        return written
    }
}

/// A small deterministic generator: libFuzzer hands over the seed so that runs reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
