import Foundation
import Testing

/// Hostile and odd inputs: Steward must end with its summary (or a clear input error),
/// never crash, hang or lose the other files' findings.
struct RobustnessTests {
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("steward-hostile-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func write(_ name: String, _ data: Data) throws { try data.write(to: url.appendingPathComponent(name)) }
        func write(_ name: String, _ text: String) throws { try write(name, Data(text.utf8)) }
    }

    /// Runs `steward check` and checks that it ended normally with its summary line; each
    /// test then expects its exact exit code.
    func check(_ folder: Folder, _ extra: [String] = []) throws -> CommandResult {
        let result = try steward(["check", folder.url.path, "--manifest", "/nonexistent-steward-manifest.yml"] + extra)
        #expect(result.status == 2, "a missing explicit manifest is an input error")
        let withoutManifest = try run(Paths.steward, ["check", folder.url.path, "--no-manifest"], in: folder.url)
        #expect(withoutManifest.stdout.contains("\nsteward: ") || withoutManifest.stdout.hasPrefix("steward: "), "no summary: \(withoutManifest.stdout.suffix(300))")
        return withoutManifest
    }

    func findings(_ document: [String: Any]) -> [[String: Any]] { document["findings"] as? [[String: Any]] ?? [] }

    @Test func postgresRegressionSQLIsReadWithoutCrashOrHang() throws {
        let folder = Paths.shared.appendingPathComponent("corpus/pg-regress/sql")
        try #require(FileManager.default.fileExists(atPath: folder.path), "missing \(folder.path)")
        let result = try steward(["check", folder.path, "--no-manifest", "--format", "json"])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let summary = try #require(document["summary"] as? [String: Any])
        // collate.windows.win1252.sql is WIN1252, not UTF-8: reported, not replayed.
        #expect(summary["files"] as? Int == 108)
        #expect(findings(document).contains { $0["rule"] as? String == "unreadable-file" && ($0["message"] as? String)?.hasPrefix("not UTF-8 text") == true })
        let findings = try #require(document["findings"] as? [[String: Any]])
        let syntaxErrors = findings.filter { $0["rule"] as? String == "syntax-error" }
        #expect(syntaxErrors.count > 100, "statements meant to fail must be reported")
        #expect(syntaxErrors.allSatisfy { ($0["location"] as? [String: Any])?["line"] as? Int ?? 0 > 0 })
        #expect(findings.contains { $0["rule"] as? String == "psql-meta-command" })
    }

    /// Every regression file alone: the exit code is exactly what its findings say.
    @Test func eachPostgresRegressionFileAloneEndsWithTheExitCodeItsFindingsCallFor() throws {
        let folder = Paths.shared.appendingPathComponent("corpus/pg-regress/sql")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        try #require(names.count == 109)
        for name in names {
            let single = try Folder()
            try single.write(name, try Data(contentsOf: folder.appendingPathComponent(name)))
            let result = try run(Paths.steward, ["check", single.url.path, "--no-manifest", "--format", "json", "--no-cache"], in: single.url)
            let document = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let errors = (document?["summary"] as? [String: Any])?["errors"] as? Int
            #expect(errors != nil, "\(name): no JSON summary (exit \(result.status)): \(result.stderr.suffix(300))")
            #expect(result.status == ((errors ?? 0) > 0 ? 1 : 0), "\(name): exit \(result.status) with \(errors ?? -1) errors")
        }
    }

    /// Statements PostgreSQL rejects must not enter the model: a table attached to itself or
    /// to its own partition, circular inheritance. Dropping the table afterwards used to
    /// recurse without end (SIGSEGV).
    @Test(arguments: [
        ("CREATE TABLE p (a int) PARTITION BY LIST (a);\nALTER TABLE p ATTACH PARTITION p FOR VALUES IN (0);\nDROP TABLE p;\n", 2),
        ("CREATE TABLE p (a int) PARTITION BY LIST (a);\nCREATE TABLE q (a int) PARTITION BY LIST (a);\nALTER TABLE p ATTACH PARTITION q FOR VALUES IN (1);\nALTER TABLE q ATTACH PARTITION p FOR VALUES IN (0);\nDROP TABLE p;\nDROP TABLE q;\n", 4),
        ("CREATE TABLE a (x int);\nCREATE TABLE b () INHERITS (a);\nALTER TABLE a INHERIT b;\nALTER TABLE a INHERIT a;\nDROP TABLE a;\nDROP TABLE b;\n", 3),
    ])
    func referenceCyclesAreRefusedAndNeverRecursedInto(_ sql: String, refusedLine: Int) throws {
        let folder = try Folder()
        try folder.write("001_cycle.sql", sql)
        let check = try run(Paths.steward, ["check", folder.url.path, "--no-manifest", "--no-cache"], in: folder.url)
        // Postgres rejects the statement, so the migration would fail: an error at that line.
        #expect(check.status == 1, "\(check.stderr.suffix(400))")
        #expect(check.stdout.contains("001_cycle.sql:\(refusedLine):1: error[statement-would-fail]"), "\(check.stdout)")
        let model = try run(Paths.steward, ["model", folder.url.path], in: folder.url)
        #expect(model.status == 0)
        #expect(model.stdout.contains("001_cycle.sql:\(refusedLine): "), "the refused statement is reported at its line: \(model.stdout)")
        #expect(model.stdout.contains("itself"))
    }

    @Test func emptyAndCommentOnlyFilesAreFine() throws {
        let folder = try Folder()
        try folder.write("001_empty.sql", "")
        try folder.write("002_comments.sql", "-- nothing here\n/* still /* nothing */ */\n")
        let result = try check(folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("2 migrations (plain), 0 statements"))
    }

    @Test func invalidUTF8AndNulBytesBecomeFindingsWithLocations() throws {
        let folder = try Folder()
        try folder.write("001_bytes.sql", Data("CREATE TABLE a (id int);\nCREATE TABLE \u{FF}b (id int);\n".utf8) + Data([0xC3, 0x28, 0x0A]))
        try folder.write("002_nul.sql", Data("CREATE TABLE c (id int);\n".utf8) + Data([0, 0, 0x0A]) + Data("CREATE TABL d (id int);\n".utf8))
        let result = try check(folder)
        #expect(result.status == 1)
        // Not text: reported where the first bad byte is, and not replayed (Postgres would refuse the file).
        #expect(result.stdout.contains("002_nul.sql:2:1: error[unreadable-file]: not a text file: a NUL byte at line 2, column 1"), "\(result.stdout)")
        #expect(result.stdout.contains("001_bytes.sql:3:1: error[unreadable-file]: not UTF-8 text: an invalid byte sequence at line 3, column 1"))
        #expect(!result.stdout.contains("\u{0}") || result.stdout.contains("\\u{0}"), "a NUL never reaches the terminal")
    }

    @Test func tabsAreExpandedSoThatTheCaretLinesUp() throws {
        let folder = try Folder()
        try folder.write("001_tabs.sql", "CREATE TABLE a (id int);\n\tCREATE TABLE b (\tid int,);\n")
        let result = try check(folder)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let source = try #require(lines.firstIndex { $0.hasPrefix("2 |") })
        #expect(lines[source] == "2 |     CREATE TABLE b (    id int,);")
        let caret = try #require(lines[source + 1].firstIndex(of: "^"))
        let parenthesis = try #require(lines[source].firstIndex(of: ")"))
        #expect(lines[source + 1].distance(from: lines[source + 1].startIndex, to: caret)
                == lines[source].distance(from: lines[source].startIndex, to: parenthesis), "the caret sits under `)`")
    }

    @Test func aFiftyMegabyteFileIsChecked() throws {
        let folder = try Folder()
        let row = "INSERT INTO blobs (body) VALUES ('" + String(repeating: "x", count: 1000) + "');\n"
        var text = "CREATE TABLE blobs (body text);\n"
        text.reserveCapacity(51_000_000)
        for _ in 0..<50_000 { text += row }
        try folder.write("001_big.sql", text)
        let result = try check(folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("50001 statements"))
    }

    @Test func tenThousandFilesAreChecked() throws {
        let folder = try Folder()
        for index in 1...10_000 {
            try folder.write(String(format: "%05d_t.sql", index), "CREATE TABLE t\(index) (id int PRIMARY KEY);\n")
        }
        let result = try check(folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("10000 migrations (plain), 10000 statements"))
    }

    @Test func deeplyNestedExpressionsAreASyntaxErrorNotACrash() throws {
        let folder = try Folder()
        let depth = 100_000
        try folder.write("001_deep.sql", "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + ";\nCREATE TABLE after_deep (id int);\n")
        let result = try check(folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("001_deep.sql:1:"))
        // The grammar's own stack gives out before Postgres's stack-depth check at this depth.
        #expect(result.stdout.contains("memory exhausted") || result.stdout.contains("stack depth limit exceeded"))
    }

    @Test func anUnterminatedDollarQuoteIsASyntaxError() throws {
        let folder = try Folder()
        try folder.write("001_fn.sql", "CREATE TABLE ok (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1;\n")
        let result = try check(folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("001_fn.sql:2:"))
        #expect(result.stdout.contains("unterminated dollar-quoted string"))
    }

    @Test func symlinkLoopsDirectoriesNamedSQLAndUnreadableEntriesAreHandled() throws {
        let folder = try Folder()
        try folder.write("001_ok.sql", "CREATE TABLE ok (id int);\n")
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("loop").path, withDestinationPath: ".")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("002_dir.sql"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("003_dangling.sql").path, withDestinationPath: "nowhere.sql")
        #expect(mkfifo(folder.url.appendingPathComponent("004_fifo.sql").path, 0o644) == 0)
        // A regular file whose read fails even for root (tests run as root, who ignores
        // permission bits): reading a process's own memory at offset 0 is an I/O error.
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("005_eio.sql").path,
                                                   withDestinationPath: "/proc/self/mem")
        // A link to a directory is a directory (the listing says "link": stat decides).
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("006_linked_dir.sql").path,
                                                   withDestinationPath: "002_dir.sql")
        let result = try check(folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("003_dangling.sql:1:1: error[unreadable-file]"))
        #expect(result.stdout.contains("004_fifo.sql:1:1: error[unreadable-file]: not a regular file"))
        #expect(result.stdout.contains("005_eio.sql:1:1: error[unreadable-file]: cannot read file (Input/output error)"))
        #expect(!result.stdout.contains("002_dir.sql"))
        #expect(!result.stdout.contains("006_linked_dir.sql"))
        #expect(result.stdout.contains("1 migration (plain), 1 statement"))
    }

    @Test func symlinkLoopsInARecursiveLayoutTerminate() throws {
        let folder = try Folder()
        try folder.write("V1__init.sql", "CREATE TABLE ok (id int);\n")
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("loop").path, withDestinationPath: ".")
        let result = try check(folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("(flyway)"))
    }

    @Test func aFileInsteadOfADirectoryIsAnInputError() throws {
        let folder = try Folder()
        try folder.write("001.sql", "SELECT 1;")
        let result = try steward(["check", folder.url.appendingPathComponent("001.sql").path, "--no-manifest"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is a file, not a directory"))
    }
}
