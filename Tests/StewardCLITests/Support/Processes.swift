import Foundation
import StewardTestSupport
import Testing

struct CommandResult {
    var stdout: String
    var stderr: String
    var status: Int32
}

enum Paths {
    static let packageRoot = SharedFiles.packageRoot
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
    static let shared = SharedFiles.root

    /// The CLI's cache in tests (never the user's), removed when the test process exits.
    static let testCache: URL = {
        atexit { try? FileManager.default.removeItem(at: Paths.cacheDirectory) }
        return cacheDirectory
    }()
    private static let cacheDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("steward-test-cache-\(ProcessInfo.processInfo.processIdentifier)")

    /// The built CLI: STEWARD_BIN, else the debug build next to the tests.
    static var steward: String {
        if let path = ProcessInfo.processInfo.environment["STEWARD_BIN"] { return path }
        return packageRoot.appendingPathComponent(".build/debug/steward").path
    }
}

/// Runs a program to completion. Output goes through temporary files so that a large
/// stdout cannot dead-lock against an unread stderr pipe.
func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
         environment: [String: String] = [:], stdin: String? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    // Never touch the user's cache from tests.
    env["STEWARD_CACHE_DIR"] = Paths.testCache.path
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("steward-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    if let stdin {
        let input = scratch.appendingPathComponent("in")
        try stdin.write(to: input, atomically: true, encoding: .utf8)
        process.standardInput = try FileHandle(forReadingFrom: input)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    process.waitUntilExit()
    return CommandResult(stdout: try String(contentsOf: out, encoding: .utf8),
                         stderr: try String(contentsOf: err, encoding: .utf8),
                         status: process.terminationStatus)
}

func steward(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    try #require(FileManager.default.isExecutableFile(atPath: Paths.steward),
                 "build the CLI first (swift build) or set STEWARD_BIN; looked at \(Paths.steward)")
    return try run(Paths.steward, arguments, in: directory, environment: environment)
}

/// Compares output with a stored expectation. STEWARD_UPDATE_SNAPSHOTS=1 (never set in CI)
/// rewrites it; a missing snapshot is a failure, never written silently.
func assertSnapshot(_ actual: String, named file: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["STEWARD_UPDATE_SNAPSHOTS"] == "1", ProcessInfo.processInfo.environment["CI"] != "true" {
        try actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard FileManager.default.fileExists(atPath: file.path) else {
        Issue.record("missing snapshot \(file.path): run with STEWARD_UPDATE_SNAPSHOTS=1, review it and commit it", sourceLocation: sourceLocation)
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(actual == expected, "output differs from \(file.lastPathComponent) (STEWARD_UPDATE_SNAPSHOTS=1 to accept)", sourceLocation: sourceLocation)
}

/// Runs a program with its stdout on a pseudo-terminal (as in an interactive shell), through
/// Python's `pty` module, and returns what it wrote there: the only honest way to test
/// terminal-only behaviour. (Glibc's pty functions are not visible to Swift.)
func runOnTerminal(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                   environment: [String: String] = [:]) throws -> CommandResult {
    let spawn = "import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))"
    var result = try run("/usr/bin/env", ["python3", "-c", spawn, executable] + arguments, in: directory, environment: environment)
    // The terminal turns every "\n" into "\r\n".
    result.stdout = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    return result
}
