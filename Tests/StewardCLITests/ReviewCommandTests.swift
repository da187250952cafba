import Foundation
import Testing

/// `steward review`: the base replayed from git, the work tree, and per touched service the
/// schema diff, findings, dependencies and approvers. The text is pinned.
struct ReviewCommandTests {
    static let manifest = """
        version: 1
        services:
          billing: {owners: ["@acme/billing"], tables: [invoices, plans], public: [plans], roles: [svc_billing]}
          reports: {owners: ["@carol"], tables: [monthly, plan_report], roles: [svc_reports]}
        teams:
          "@acme/billing": {members: ["@frank", "@grace"]}

        """

    /// A realistic pull request: billing reworks invoices; reports adds a view and a grant onto them.
    func pullRequest() throws -> ApprovalTests.Repository {
        let repo = try ApprovalTests.Repository(manifest: Self.manifest, base: ["001_base.sql": """
            CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric, note varchar(20));
            CREATE TABLE plans (id bigint PRIMARY KEY, name text);
            CREATE VIEW plan_report AS SELECT id, name FROM plans;

            """])
        try repo.write("db/002_currency.sql", """
            SET lock_timeout = '2s';
            ALTER TABLE invoices ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
            ALTER TABLE invoices ALTER COLUMN total TYPE bigint;
            ALTER TABLE invoices DROP COLUMN note;
            CREATE INDEX CONCURRENTLY invoices_currency_idx ON invoices (currency);

            """)
        try repo.write("db/003_monthly.sql", "CREATE VIEW monthly AS SELECT sum(total) AS total FROM invoices;\nGRANT SELECT ON invoices TO svc_reports;\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "currency")
        return repo
    }

    func baseCommit(_ repo: ApprovalTests.Repository) throws -> String {
        String(try repo.git("rev-parse", "main").stdout.prefix(12))
    }

    @Test func aPullRequestIsReviewedPerService() throws {
        let repo = try pullRequest()
        let result = try run(Paths.steward, ["review", "db", "--approved-by", "grace"], in: repo.url)
        #expect(result.status == 1, "error-level findings in the changed migrations: \(result.stderr)")
        let text = result.stdout.replacingOccurrences(of: try baseCommit(repo), with: "<base>")
        try assertSnapshot(text, named: Paths.fixtures.appendingPathComponent("snapshots/review-pull-request.txt"))
    }

    @Test func nothingChangedIsOneLine() throws {
        let repo = try ApprovalTests.Repository(manifest: Self.manifest, base: ["001_base.sql": "CREATE TABLE plans (id bigint PRIMARY KEY);\n"])
        try repo.write("README.md", "docs only\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "docs")
        let result = try run(Paths.steward, ["review", "db"], in: repo.url)
        #expect(result.status == 0)
        #expect(result.stdout == "steward review: no schema change since main (\(try baseCommit(repo)))\n")
    }

    /// Colors only on a terminal (and never with --no-color).
    @Test func reviewIsColoredOnATerminal() throws {
        let repo = try pullRequest()
        let colored = try runOnTerminal(Paths.steward, ["review", "db"], in: repo.url, environment: ["NO_COLOR": ""])
        #expect(colored.stdout.contains("\u{1B}[1;31merror\u{1B}[0m[cross-service-dependency]"), "\(colored.stdout)")
        #expect(colored.stdout.contains("\u{1B}[32m+\u{1B}[0m column invoices.currency"))
        let plain = try runOnTerminal(Paths.steward, ["review", "db", "--no-color"], in: repo.url, environment: ["NO_COLOR": ""])
        #expect(!plain.stdout.contains("\u{1B}["))
    }

    /// Dependencies that existed at the base (a function body, a data statement) are not new
    /// in the pull request, though the base is replayed from another folder.
    @Test func dependenciesAtTheBaseAreNotReportedAsAdded() throws {
        let manifest = """
            version: 1
            services:
              billing: {owners: ["@frank"], tables: [invoices]}
              reports: {owners: ["@carol"], schemas: [reports]}

            """
        let repo = try ApprovalTests.Repository(manifest: manifest, base: [
            "001_base.sql": "CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);\n",
            "002_reports.sql": """
                CREATE SCHEMA reports;
                CREATE TABLE reports.totals (id bigint);
                CREATE FUNCTION reports.total_due() RETURNS numeric LANGUAGE sql AS $$ SELECT sum(total) FROM invoices $$;
                INSERT INTO invoices (id, total) VALUES (0, 0);

                """,
        ])
        try repo.write("db/003_note.sql", "ALTER TABLE invoices ADD COLUMN note text;\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "note")
        let result = try run(Paths.steward, ["review", "db"], in: repo.url)
        #expect(result.stdout.contains("+ column invoices.note: text"), "\(result.stdout)")
        #expect(!result.stdout.contains("cross-service dependencies"), "\(result.stdout)")
        #expect(!result.stdout.contains("`reports`"), "only billing is touched: \(result.stdout)")
    }

    @Test func badBaseIsAnInputError() throws {
        let repo = try pullRequest()
        let unknown = try run(Paths.steward, ["review", "db", "--base", "no-such-branch"], in: repo.url)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--since no-such-branch: git cannot find that ref"), "\(unknown.stderr)")
        try repo.git("branch", "-m", "main", "trunk")
        let noMain = try run(Paths.steward, ["review", "db"], in: repo.url)
        #expect(noMain.status == 2)
        #expect(noMain.stderr.contains("no --base given and neither main nor origin/main exists here"), "\(noMain.stderr)")
        #expect(try run(Paths.steward, ["review", "db", "--base", "trunk", "--approved-by", "grace,carol"], in: repo.url).status == 1)
    }
}
