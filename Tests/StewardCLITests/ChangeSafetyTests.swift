import Foundation
import Testing

/// The change-safety rules end to end through the built binary: severity by who depends on
/// the object, specvital's own pull-request cases, suppressions and configuration.
struct ChangeSafetyTests {
    final class Project {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("steward-change-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url.appendingPathComponent("migrations"), withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func write(_ relativePath: String, _ text: String) throws {
            let file = url.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        func check(_ extra: [String] = []) throws -> CommandResult {
            try run(Paths.steward, ["check", "migrations", "--no-cache"] + extra, in: url)
        }
    }

    static let manifest = """
        version: 1
        services:
          analyzer: {owners: ["@acme/analyzer"], tables: [codebases]}
          web: {owners: ["@acme/web"], tables: [bookmarks]}
        boundaries:
          allow:
            - {from: web, to: analyzer, objects: [codebases], reason: "bookmarks point at codebases"}

        """

    /// The same DROP TABLE … CASCADE: an error that names `web` when its foreign key depends on
    /// the table, a warning when nothing of another service does.
    @Test func aDropIsAnErrorWhenAnotherServiceDependsOnTheTableAndAWarningOtherwise() throws {
        let shared = try Project()
        try shared.write("ownership.yml", Self.manifest)
        try shared.write("migrations/001_init.sql", """
            CREATE TABLE codebases (id bigint PRIMARY KEY);
            CREATE TABLE bookmarks (id bigint PRIMARY KEY, codebase_id bigint REFERENCES codebases (id));
            """)
        try shared.write("migrations/002_drop.sql", "SET lock_timeout = '2s';\nDROP TABLE codebases CASCADE;\n")
        let dependent = try shared.check()
        #expect(dependent.status == 1)
        #expect(dependent.stdout.contains("migrations/002_drop.sql:2:1: error[drop-table]: DROP TABLE codebases removes a table and its data"), "\(dependent.stdout)")
        #expect(dependent.stdout.contains("service `web` (@acme/web) depends on it through foreign key bookmarks_codebase_id_fkey on bookmarks"))
        #expect(dependent.stdout.contains("CASCADE also drops foreign key bookmarks_codebase_id_fkey on bookmarks"))

        let alone = try Project()
        try alone.write("ownership.yml", Self.manifest)
        try alone.write("migrations/001_init.sql", "CREATE TABLE codebases (id bigint PRIMARY KEY);\nCREATE TABLE bookmarks (id bigint PRIMARY KEY);\n")
        try alone.write("migrations/002_drop.sql", "SET lock_timeout = '2s';\nDROP TABLE codebases CASCADE;\n")
        let independent = try alone.check()
        #expect(independent.status == 0)
        #expect(independent.stdout.contains("migrations/002_drop.sql:2:1: warning[drop-table]: DROP TABLE codebases removes a table and its data; every query using it fails (owned by `analyzer`)\n"),
                "\(independent.stdout)")
    }

    /// specvital's migrations plus one pull request each: every dangerous change is flagged
    /// where it is, and DROP TABLE without CASCADE raises the error count instead of lowering it.
    @Test(arguments: [
        ("ALTER TABLE codebases DROP COLUMN last_viewed_at;", "warning[drop-column]: DROP COLUMN last_viewed_at of codebases"),
        ("ALTER TABLE codebases ALTER COLUMN owner TYPE varchar(100);",
         "warning[change-column-type]: ALTER COLUMN owner of codebases TYPE character varying(255) → character varying(100)"),
        ("ALTER TABLE codebases ALTER COLUMN owner TYPE varchar(100);", "warning[alter-column-type-rewrite]"),
        ("CREATE INDEX idx_codebases_last_viewed ON codebases (last_viewed_at);",
         "warning[create-index-without-concurrently]: CREATE INDEX idx_codebases_last_viewed takes a SHARE lock on codebases (blocks writes)"),
        ("ALTER TABLE codebases RENAME COLUMN last_viewed_at TO viewed_at;", "warning[rename-column]: RENAME COLUMN last_viewed_at TO viewed_at on codebases"),
        ("DROP TABLE codebases;", "error[statement-would-fail]: DROP TABLE codebases: foreign key"),
        ("DROP TABLE codebases CASCADE;", "error[drop-table]: DROP TABLE codebases removes a table and its data"),
    ])
    func specvitalPullRequestCasesAreFlagged(_ sql: String, expected: String) throws {
        let corpus = Paths.shared.appendingPathComponent("corpus/specvital")
        let project = try Project()
        let migrations = project.url.appendingPathComponent("migrations")
        try FileManager.default.removeItem(at: migrations)
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("migrations"), to: migrations)
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("ownership.yml"), to: project.url.appendingPathComponent("ownership.yml"))
        let before = try project.check(["--format", "json"])
        // An Atlas directory: the new file needs its line in atlas.sum, or atlas-sum-mismatch says so (as Atlas would).
        try project.write("migrations/29991231000000_pull_request.sql", sql + "\n")
        let after = try project.check(["--ignore", "atlas-sum-mismatch"])
        #expect(after.status == 1)
        #expect(after.stdout.contains("migrations/29991231000000_pull_request.sql:1:"), "nothing flagged in the new file: \(after.stdout.suffix(500))")
        #expect(after.stdout.contains(expected), "\(sql): \(after.stdout.components(separatedBy: "29991231000000_pull_request.sql").dropFirst().joined().prefix(1500))")
        let errorsBefore = try #require(try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
            .flatMap { ($0["summary"] as? [String: Any])?["errors"] as? Int }
        let afterJSON = try project.check(["--ignore", "atlas-sum-mismatch", "--format", "json"])
        let errorsAfter = try #require(try JSONSerialization.jsonObject(with: Data(afterJSON.stdout.utf8)) as? [String: Any])
            .flatMap { ($0["summary"] as? [String: Any])?["errors"] as? Int }
        #expect((errorsAfter ?? 0) >= (errorsBefore ?? 0), "a pull request lowered the error count")
        let sumCheck = try project.check(["--select", "atlas-sum-mismatch"])
        #expect(sumCheck.stdout.contains("29991231000000_pull_request.sql is not in atlas.sum"))
    }

    @Test func suppressionsAreReadFromCommentsAndAudited() throws {
        let project = try Project()
        try project.write("migrations/001_init.sql", "CREATE TABLE codebases (id bigint PRIMARY KEY, note text);\n")
        try project.write("migrations/002_change.sql", """
            SET lock_timeout = '2s';
            -- steward:ignore drop-column -- the column was never read (ADR-12)
            ALTER TABLE codebases DROP COLUMN note;
            SELECT '-- steward:ignore create-index-without-concurrently -- inside a string';
            CREATE INDEX codebases_id_idx ON codebases (id);
            CREATE INDEX codebases_id2_idx ON codebases (id); -- steward:ignore create-index-without-concurrently
            -- steward:ignore rename-table -- nothing here is renamed
            SELECT 1;
            -- steward:ignore no-such-rule -- a typo
            SELECT 2;

            """)
        let result = try project.check(["--no-manifest"])
        // The marker inside a string literal is not a comment: the first index is flagged.
        #expect(result.stdout.contains("002_change.sql:5:1: warning[create-index-without-concurrently]"), "\(result.stdout)")
        #expect(!result.stdout.contains("002_change.sql:6:1: warning[create-index-without-concurrently]"))
        #expect(!result.stdout.contains("warning[drop-column]"))
        #expect(result.stdout.contains("002_change.sql:6:51: warning[suppression-without-reason]"))
        #expect(result.stdout.contains("002_change.sql:7:1: warning[unused-suppression]: steward:ignore rename-table silences nothing"))
        #expect(result.stdout.contains("002_change.sql:9:1: warning[unused-suppression]: steward:ignore names unknown rule no-such-rule"))
        let shown = try project.check(["--no-manifest", "--show-allowed"])
        #expect(shown.stdout.contains(", 2 allowed\n"))
        #expect(shown.stdout.contains("002_change.sql:3:1: allowed[drop-column]") || shown.stdout.contains("002_change.sql:3:13: allowed[drop-column]"), "\(shown.stdout)")
        #expect(shown.stdout.contains("= allowed by steward:ignore (migrations/002_change.sql:2): the column was never read (ADR-12)"))
    }

    @Test func rulesAreConfiguredInTheManifestAndOnTheCommandLine() throws {
        let project = try Project()
        try project.write("ownership.yml", Self.manifest + """
            rules:
              missing-lock-timeout: off
              types: off
              drop-column: error
              create-index-without-concurrently: {exclude: ["migrations/003_*"]}
              rename-column: {severity: warning, services: {analyzer: info}}

            """)
        try project.write("migrations/001_init.sql", "CREATE TABLE codebases (id bigint PRIMARY KEY, note varchar(10), n int);\n")
        try project.write("migrations/002_change.sql", "ALTER TABLE codebases DROP COLUMN note;\nALTER TABLE codebases RENAME COLUMN n TO stars;\n")
        try project.write("migrations/003_index.sql", "CREATE INDEX codebases_stars_idx ON codebases (stars);\n")
        let configured = try project.check()
        #expect(configured.status == 1)
        #expect(configured.stdout.contains("002_change.sql:1:13: error[drop-column]"), "\(configured.stdout)")
        #expect(configured.stdout.contains("002_change.sql:2:1: note[rename-column]"))
        #expect(!configured.stdout.contains("missing-lock-timeout") && !configured.stdout.contains("prefer-text-over-varchar"))
        #expect(!configured.stdout.contains("create-index-without-concurrently"))

        let ignored = try project.check(["--ignore", "drop-column,rename-column"])
        #expect(ignored.status == 0)
        let warningsFail = try project.check(["--ignore", "drop-column", "--select", "breaking", "--fail-on", "warning"])
        #expect(warningsFail.status == 0, "a note does not fail --fail-on warning: \(warningsFail.stdout)")
        let selected = try project.check(["--select", "missing-lock-timeout", "--fail-on", "warning"])
        #expect(selected.status == 0, "the manifest turns it off, --select alone does not override an explicit off: \(selected.stdout)")

        try project.write("ownership.yml", Self.manifest + "rules:\n  no-such-rule: error\n")
        let invalid = try project.check()
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("ownership.yml:9:3: error: unknown rule or category `no-such-rule` in rules"), "\(invalid.stderr)")
        let unknownOption = try project.check(["--select", "nope"])
        #expect(unknownOption.status == 2)
    }

    @Test func aCheckNeverPassesByAccident() throws {
        let project = try Project()
        try project.write("migrations/001_init.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n")
        let noManifest = try project.check()
        #expect(noManifest.status == 2)
        #expect(noManifest.stderr.contains("no ownership.yml found") && noManifest.stderr.contains("--no-manifest"), "\(noManifest.stderr)")
        let version = try run(Paths.steward, ["version"], in: project.url)
        #expect(version.status == 2)
        #expect(version.stderr.contains("unknown command `version`"))
        let printed = try run(Paths.steward, ["--version"], in: project.url)
        #expect(printed.status == 0 && printed.stdout.hasPrefix("steward "))

        // Control bytes in a name are escaped, never sent to the terminal; long lines are cut around the span.
        try project.write("migrations/002_odd.sql", "CREATE TABLE \"evil\u{1B}[31m\" (id integer PRIMARY KEY);\n"
                          + "CREATE TABLE wide (" + (1...60).map { "c\($0) int" }.joined(separator: ", ") + ", flagged varchar(3));\n")
        let odd = try project.check(["--no-manifest"])
        #expect(!odd.stdout.contains("\u{1B}"), "an escape sequence reached the terminal")
        #expect(odd.stdout.contains("evil\\u{1B}[31m"))
        let caretLine = odd.stdout.components(separatedBy: "\n").first { $0.hasPrefix("2 | CREATE TABLE wide") || $0.hasPrefix("2 | …") }
        let line = try #require(caretLine, Comment(rawValue: odd.stdout))
        #expect(line.hasPrefix("2 | …") && line.contains("flagged varchar(3)") && line.count < 140, Comment(rawValue: line))
    }
}
