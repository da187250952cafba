import Foundation
import Testing

/// `--since <ref>` in real temporary git repositories: findings only for the pull request's
/// files, its new tables counted as new, edited and out-of-order migrations flagged.
struct SinceTests {
    final class Repository {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("steward-git-\(UUID().uuidString)")

        init() throws {
            try FileManager.default.createDirectory(at: url.appendingPathComponent("db"), withIntermediateDirectories: true)
            try git("init", "-q", "-b", "main")
            try git("config", "user.email", "test@example.com")
            try git("config", "user.name", "Steward Test")
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: url.appendingPathComponent(path)) }

        @discardableResult
        func git(_ arguments: String...) throws -> CommandResult {
            let result = try run("/usr/bin/env", ["git"] + arguments, in: url)
            try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }

        func commit(_ message: String) throws {
            try git("add", "-A")
            try git("commit", "-q", "-m", message)
        }

        func check(_ extra: [String]) throws -> CommandResult {
            try run(Paths.steward, ["check", "db", "--no-cache", "--manifest", "ownership.yml"] + extra, in: url)
        }
    }

    static let manifest = """
        version: 1
        services:
          analyzer: {owners: ["@acme/analyzer"], tables: [codebases, analyses, reports]}

        """

    func repositoryWithHistory() throws -> Repository {
        let repository = try Repository()
        try repository.write("ownership.yml", Self.manifest)
        try repository.write("db/001_init.sql", "CREATE TABLE codebases (id bigint PRIMARY KEY, owner text);\nCREATE INDEX codebases_owner_idx ON codebases (owner);\n")
        try repository.write("db/003_analyses.sql", "CREATE TABLE analyses (id bigint PRIMARY KEY, codebase_id bigint);\n")
        try repository.commit("history")
        try repository.git("checkout", "-q", "-b", "feature")
        return repository
    }

    @Test func onlyThePullRequestsFilesAreReportedAndItsTablesAreNew() throws {
        let repository = try repositoryWithHistory()
        // Merged history has a lock finding (001's index is fine, but 003 gets one below only in the PR).
        try repository.write("db/004_reports.sql", """
            SET lock_timeout = '2s';
            CREATE TABLE reports (id bigint PRIMARY KEY, analysis_id bigint);
            CREATE INDEX reports_analysis_idx ON reports (analysis_id);
            CREATE INDEX analyses_codebase_idx ON analyses (codebase_id);

            """)
        try repository.write("db/005_more.sql", "SET lock_timeout = '2s';\nALTER TABLE reports ADD CONSTRAINT reports_analysis_fk FOREIGN KEY (analysis_id) REFERENCES analyses (id);\n")
        try repository.commit("pull request")
        let result = try repository.check(["--since", "main"])
        // reports is created in a pending file: nothing on it; analyses is applied: its index is flagged.
        #expect(result.stdout.contains("db/004_reports.sql:4:1: warning[create-index-without-concurrently]: CREATE INDEX analyses_codebase_idx"), "\(result.stdout)")
        #expect(!result.stdout.contains("reports_analysis_idx"))
        #expect(!result.stdout.contains("add-foreign-key-without-not-valid"), "reports is new in this pull request")
        #expect(!result.stdout.contains("db/001_init.sql") && !result.stdout.contains("db/003_analyses.sql"))
        #expect(result.stdout.contains("2 pending since main"))
        let json = try repository.check(["--since", "main", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let since = try #require(document["since"] as? [String: Any])
        #expect(since["reference"] as? String == "main")
        #expect(since["pending"] as? [String] == ["db/004_reports.sql", "db/005_more.sql"])
        #expect((since["base_commit"] as? String)?.count == 40)
        let everything = try repository.check([])
        #expect(everything.stdout.contains("db/005_more.sql:2:25: warning[add-foreign-key-without-not-valid]"), "without --since, 004 counts as applied: \(everything.stdout)")
    }

    @Test func anEditedAppliedMigrationAndAnOutOfOrderOneAreErrors() throws {
        let repository = try repositoryWithHistory()
        try repository.write("db/001_init.sql", "CREATE TABLE codebases (id bigint PRIMARY KEY, owner text, extra text);\nCREATE INDEX codebases_owner_idx ON codebases (owner);\n")
        try repository.write("db/002_late.sql", "CREATE TABLE late (id bigint PRIMARY KEY);\n")
        // Uncommitted work counts too: the working tree is compared with the merge base.
        let result = try repository.check(["--since", "main"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("db/001_init.sql:1:1: error[modified-applied-migration]: this migration existed at main"), "\(result.stdout)")
        #expect(result.stdout.contains("db/002_late.sql:1:1: error[out-of-order-migration]: 002 is new but sorts before 003 (db/003_analyses.sql), which main already has"))
    }

    @Test func aMissingRepositoryOrRefIsAnInputError() throws {
        let repository = try repositoryWithHistory()
        let unknown = try repository.check(["--since", "no-such-branch"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--since no-such-branch: git cannot find that ref"), "\(unknown.stderr)")
        let option = try repository.check(["--since", "--output=x"])
        #expect(option.status == 2)

        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("steward-nogit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: plain.appendingPathComponent("db"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: plain) }
        try Data("CREATE TABLE t (id bigint PRIMARY KEY);\n".utf8).write(to: plain.appendingPathComponent("db/001_a.sql"))
        let notRepository = try run(Paths.steward, ["check", "db", "--no-manifest", "--since", "main"], in: plain)
        #expect(notRepository.status == 2)
        #expect(notRepository.stderr.contains("is not inside a git repository"), "\(notRepository.stderr)")
    }
}
