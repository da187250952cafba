import Foundation
import StewardCore
import Testing

/// End-to-end: the built `steward` binary on fixture folders, checking output (snapshots
/// under Tests/Fixtures/snapshots) and exit codes.
struct CheckCommandTests {
    let root = Paths.packageRoot
    func snapshot(_ name: String) -> URL { Paths.fixtures.appendingPathComponent("snapshots/\(name)") }

    @Test func theBundledExampleReportsTheFlaggedForeignKey() throws {
        let result = try steward(["check"], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty)
        try assertSnapshot(result.stdout, named: snapshot("check-example.txt"))
    }

    /// Diesel: version order across dashed and undashed folders, down.sql never replayed (the
    /// foreign key across services is reported, so the tables exist in the model).
    @Test func aDieselProjectIsCheckedInDieselsOrder() throws {
        let result = try steward(["check", "Tests/Fixtures/diesel/migrations"], in: root)
        #expect(result.status == 1)
        try assertSnapshot(result.stdout, named: snapshot("check-diesel.txt"))
        let model = try steward(["model", "Tests/Fixtures/diesel/migrations"], in: root)
        #expect(model.stdout.contains("table public.users"), "down.sql dropped the table: \(model.stdout)")
    }

    /// Sqitch: plan order, the reworked change's scripts, psql features as notes.
    @Test func aSqitchProjectIsCheckedInPlanOrder() throws {
        let result = try steward(["check", "Tests/Fixtures/sqitch"], in: root)
        #expect(result.status == 0)
        try assertSnapshot(result.stdout, named: snapshot("check-sqitch.txt"))
        let forced = try steward(["check", "Tests/Fixtures/sqitch", "--layout", "sqitch", "--format", "json"], in: root)
        #expect(forced.status == 0)
        #expect(forced.stdout.contains("\"layout\" : \"sqitch\""))
    }

    @Test func aFolderWithNothingToCheckIsAnInputError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("steward-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty.appendingPathComponent("nested"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        try Data("SELECT 1;".utf8).write(to: empty.appendingPathComponent("nested/001_a.sql"))
        let result = try steward(["check", empty.path, "--no-manifest"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no migrations found (read as plain)") && result.stderr.contains("nested"), "\(result.stderr)")
    }

    /// A partition has its parent's owner, also in the findings about it made before it was
    /// renamed (`check` runs those rules on the change log alone, the rest of the model released).
    @Test func aRenamedPartitionKeepsItsParentsOwner() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-partition-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("""
            CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

            """.utf8).write(to: folder.appendingPathComponent("1_init.up.sql"))
        try Data("CREATE INDEX events_2024_at ON events_2024 (at);\nALTER TABLE events_2024 RENAME TO events_y2024;\n".utf8)
            .write(to: folder.appendingPathComponent("2_change.up.sql"))
        try Data("version: 1\nservices:\n  analytics: {owners: [\"@analytics\"], tables: [events]}\n".utf8)
            .write(to: folder.appendingPathComponent("ownership.yml"))
        let result = try steward(["check", folder.path, "--manifest", folder.appendingPathComponent("ownership.yml").path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]])
        let services = Dictionary(findings.map { ($0["rule"] as? String ?? "", $0["services"] as? [String] ?? []) }, uniquingKeysWith: { first, _ in first })
        #expect(services["create-index-without-concurrently"] == ["analytics"], "\(result.stdout)")
        #expect(services["rename-table"] == ["analytics"], "\(result.stdout)")
    }

    @Test func showAllowedListsTheDocumentedExceptions() throws {
        let result = try steward(["check", "schema", "--manifest", "ownership.yml", "--show-allowed", "--select", "ownership"], in: root)
        #expect(result.status == 1)
        #expect(result.stdout.components(separatedBy: "allowed[cross-service-foreign-key]").count - 1 == 3)
        #expect(result.stdout.contains("= allowed by boundaries.allow (ownership.yml:53): A run analyzes exactly one mirrored commit"))
        #expect(result.stdout.hasSuffix("1 error, 0 warnings, 3 notes, 4 allowed\n"))
    }

    @Test func jsonOutputHasTheDocumentedShape() throws {
        let result = try steward(["check", "--format", "json"], in: root)
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["format_version"] as? Int == 2)
        #expect(document["layout"] as? String == "golang-migrate")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["files"] as? Int == 24)
        #expect(summary["notes"] as? Int == 3)
        #expect(document["since"] == nil)
        let findings = try #require(document["findings"] as? [[String: Any]])
        let finding = try #require(findings.first { $0["rule"] as? String == "cross-service-foreign-key" })
        #expect(finding["category"] as? String == "ownership")
        #expect(findings.contains { $0["rule"] as? String == "create-index-without-concurrently" && $0["category"] as? String == "locking" })
        #expect(finding["services"] as? [String] == ["notifier", "billing"])
        let location = try #require(finding["location"] as? [String: Any])
        #expect(location["path"] as? String == "schema/0013_invoice_emails.up.sql")
        #expect(location["line"] as? Int == 5)
        #expect(location["column"] as? Int == 77)
    }

    @Test func specvitalHasExactlyTheTwoUndocumentedCrossServiceForeignKeys() throws {
        let corpus = Paths.shared.appendingPathComponent("corpus/specvital")
        try #require(FileManager.default.fileExists(atPath: corpus.path), "missing \(corpus.path)")
        let result = try steward(["check", corpus.appendingPathComponent("migrations").path,
                                  "--manifest", corpus.appendingPathComponent("ownership.yml").path, "--format", "json"])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]]).filter { $0["rule"] as? String == "cross-service-foreign-key" }
        #expect(findings.count == 2)
        let messages = findings.compactMap { $0["message"] as? String }
        #expect(messages[0].contains("user_bookmarks(codebase_id) references codebases(id)"))
        #expect(messages[1].contains("user_analysis_history(analysis_id) references analyses(id)"))
        #expect(!result.stdout.contains("unowned-object"))
    }

    @Test func aSyntaxErrorIsAFindingAtItsLineAndTheOtherFilesAreStillChecked() throws {
        let result = try steward(["check", "Tests/Fixtures/syntax-error/migrations", "--manifest", "Tests/Fixtures/syntax-error/ownership.yml"], in: root)
        #expect(result.status == 1)
        try assertSnapshot(result.stdout, named: snapshot("check-syntax-error.txt"))
    }

    @Test func anUnknownManifestKeyIsAnInputError() throws {
        let result = try steward(["check", "Tests/Fixtures/invalid-manifest/migrations", "--manifest", "Tests/Fixtures/invalid-manifest/ownership.yml"], in: root)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Tests/Fixtures/invalid-manifest/ownership.yml:5:5: error: unknown key `tabels` at services.accounts; expected one of: description, owners, tables, public, schemas, roles, cache, queries\n")
    }

    @Test func aTableClaimedByTwoServicesIsAnInputError() throws {
        let result = try steward(["check", "Tests/Fixtures/duplicate-claim/migrations", "--manifest", "Tests/Fixtures/duplicate-claim/ownership.yml"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr.contains("ownership.yml:8:14: error: table `users` is claimed by both `accounts` and `profiles`"))
    }

    @Test func aMissingDirectoryIsAnInputError() throws {
        let result = try steward(["check", "no/such/dir"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr == "no/such/dir: error: no such directory; pass the folder that holds your migrations (default: schema/)\n")
    }

    @Test func aMissingExplicitManifestIsAnInputError() throws {
        let result = try steward(["check", "schema", "--manifest", "nope.yml"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr == "nope.yml: error: no such manifest file\n")
    }

    @Test func anUnknownOptionIsAUsageErrorWithExitCode2() throws {
        let result = try steward(["check", "--frobnicate"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option '--frobnicate'"))
    }

    @Test func modelGroupsTablesByService() throws {
        let result = try steward(["model"], in: root)
        #expect(result.status == 0)
        try assertSnapshot(result.stdout, named: snapshot("model-example.txt"))
    }

    @Test func modelListsGoMigrationsAsGaps() throws {
        let result = try steward(["model", "Tests/Fixtures/goose-sections/migrations"], in: root)
        #expect(result.status == 0)
        #expect(result.stdout.contains("gap: Tests/Fixtures/goose-sections/migrations/00004_backfill.go: goose Go migration"))
    }

    @Test func helpRulesAndExplainRead() throws {
        let help = try steward(["--help"], in: root)
        #expect(help.status == 0)
        #expect(help.stdout.contains("Schema governance for services that share one PostgreSQL database."))
        #expect(help.stdout.contains("Exit codes: 0 no error-level findings"))
        let rules = try steward(["rules"], in: root)
        #expect(rules.status == 0)
        try assertSnapshot(rules.stdout, named: snapshot("rules.txt"))
        let explain = try steward(["explain", "cross-service-foreign-key"], in: root)
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("What to do instead"))
        let unknown = try steward(["explain", "no-such-rule"], in: root)
        #expect(unknown.status == 2)
    }

    /// Every rule is reachable through the CLI: listed as data, explained as text and as data.
    @Test func everyRuleIsListedAndExplainedInTextAndJSON() throws {
        let listed = try steward(["rules", "--format", "json"], in: root)
        #expect(listed.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let rules = try #require(document["rules"] as? [[String: Any]])
        let ids = rules.filter { $0["kind"] as? String == "rule" }.compactMap { $0["id"] as? String }
        #expect(Set(ids) == Set(RuleRegistry.all.map(\.descriptor.id)))
        #expect(rules.contains { $0["id"] as? String == "missing-down-migration" && $0["enabled_by_default"] as? Bool == false })
        for id in ids {
            let text = try steward(["explain", id], in: root)
            #expect(text.status == 0 && text.stdout.hasPrefix(id) && text.stdout.contains("What to do instead"), "\(id)")
            let json = try steward(["explain", id, "--format", "json"], in: root)
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(entry["id"] as? String == id)
            #expect((entry["triggering"] as? [Any])?.count ?? 0 >= 2 && (entry["non_triggering"] as? [Any])?.count ?? 0 >= 2)
        }
        let lock = try steward(["explain", "create-index-without-concurrently"], in: root)
        #expect(lock.stdout.contains("Lock\nSHARE: blocks writes"))
    }

    /// On a real (pseudo-)terminal the report is colored, unless --no-color or NO_COLOR says
    /// otherwise; through a pipe it never is.
    @Test func colorIsUsedOnTerminalsOnlyAndCanBeTurnedOff() throws {
        let escape = "\u{1B}["
        let colored = try runOnTerminal(Paths.steward, ["check"], in: root, environment: ["NO_COLOR": ""])
        #expect(colored.status == 1)
        #expect(colored.stdout.contains(escape + "1;31merror"), "no color on a terminal: \(colored.stdout.prefix(300))")
        let flag = try runOnTerminal(Paths.steward, ["check", "--no-color"], in: root, environment: ["NO_COLOR": ""])
        #expect(flag.stdout.contains("error[cross-service-foreign-key]") && !flag.stdout.contains(escape))
        let variable = try runOnTerminal(Paths.steward, ["check"], in: root, environment: ["NO_COLOR": "1"])
        #expect(variable.stdout.contains("error[cross-service-foreign-key]") && !variable.stdout.contains(escape))
        let piped = try steward(["check"], in: root, environment: ["NO_COLOR": ""])
        #expect(piped.stdout.contains("error[cross-service-foreign-key]") && !piped.stdout.contains(escape))
    }
}
