import Foundation
import Testing

/// Required approvals end to end, in temporary git repositories: who must approve a pull
/// request's migrations, from `--approved-by`, `--author` and GitHub's reviews (`--reviews`).
struct ApprovalTests {
    final class Repository {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("steward-review-\(UUID().uuidString)")

        init(manifest: String, base: [String: String]) throws {
            try FileManager.default.createDirectory(at: url.appendingPathComponent("db"), withIntermediateDirectories: true)
            try git("init", "-q", "-b", "main")
            try git("config", "user.email", "test@example.com")
            try git("config", "user.name", "Steward Test")
            try write("ownership.yml", manifest)
            for (name, sql) in base { try write("db/\(name)", sql) }
            try git("add", "-A")
            try git("commit", "-q", "-m", "base")
            try git("checkout", "-q", "-b", "change")
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: url.appendingPathComponent(path)) }

        @discardableResult
        func git(_ arguments: String...) throws -> CommandResult {
            let result = try run("/usr/bin/env", ["git"] + arguments, in: url)
            try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }

        func check(_ extra: [String]) throws -> CommandResult {
            try run(Paths.steward, ["check", "db", "--no-cache", "--since", "main", "--select", "missing-approval"] + extra, in: url)
        }
    }

    static let manifest = """
        version: 1
        services:
          billing: {owners: ["@acme/billing"], tables: [invoices, plans], public: [plans]}
          reports: {owners: ["@carol"], tables: [revenue, monthly, plan_report]}
          api: {owners: ["@acme/web", "@dana"], tables: [accounts]}
        teams:
          "@acme/billing": {members: ["@frank", "@grace"]}
          "@acme/web": {members: ["@alice"]}

        """

    static let base = ["001_base.sql": """
        CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
        CREATE TABLE plans (id bigint PRIMARY KEY, name text);
        CREATE TABLE accounts (id bigint PRIMARY KEY);
        CREATE VIEW plan_report AS SELECT id, name FROM plans;

        """]

    func lines(_ result: CommandResult) -> [String] { result.stdout.split(separator: "\n").filter { $0.hasPrefix("db/") }.map(String.init) }

    /// A migration touching billing (a new column on invoices) and api (a new table of accounts'):
    /// both must approve; a team member approves for the team, the author never for themself.
    @Test func aChangeTouchingTwoServicesNeedsBoth() throws {
        let repo = try Repository(manifest: Self.manifest, base: Self.base)
        try repo.write("db/002_change.sql", "ALTER TABLE invoices ADD COLUMN currency text;\nALTER TABLE accounts ADD COLUMN locale text;\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "change")

        let listed = try repo.check([])
        #expect(listed.status == 0, "without approvals given, approvers are listed as notes: \(listed.stdout)")
        #expect(lines(listed) == [
            "db/002_change.sql:1:33: note[missing-approval]: `billing` must approve this change (adds column currency to invoices): 1 approval from @acme/billing (@frank, @grace)",
            "db/002_change.sql:2:33: note[missing-approval]: `api` must approve this change (adds column locale to accounts): 1 approval from @acme/web, @dana (@alice, @dana)",
        ])

        let none = try repo.check(["--approved-by", "carol", "--author", "@frank"])
        #expect(none.status == 1)
        #expect(lines(none) == [
            "db/002_change.sql:1:33: error[missing-approval]: `billing` has not approved this change (adds column currency to invoices): it needs 1 approval from @acme/billing (@frank, @grace), has 0",
            "db/002_change.sql:2:33: error[missing-approval]: `api` has not approved this change (adds column locale to accounts): it needs 1 approval from @acme/web, @dana (@alice, @dana), has 0",
        ])
        // The author's own approval does not count; a team member's does, for the team.
        let own = try repo.check(["--approved-by", "@frank,@Alice", "--author", "frank"])
        #expect(own.status == 1)
        #expect(lines(own).count == 1)
        #expect(lines(own).first?.contains("`billing` has not approved this change") == true)
        #expect(lines(own).first?.hasSuffix("has 0 (the author @frank does not count)") == true, "\(own.stdout)")
        let both = try repo.check(["--approved-by", "grace", "alice", "--author", "frank"])
        #expect(both.status == 0, "\(both.stdout)")
        #expect(lines(both).isEmpty)
    }

    /// GitHub's reviews: the latest state-changing review of each user counts.
    @Test func githubReviewsDecideWhoApproved() throws {
        let repo = try Repository(manifest: Self.manifest, base: Self.base)
        try repo.write("db/002_change.sql", "ALTER TABLE invoices ADD COLUMN currency text;\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "change")
        func reviews(_ entries: [(String, String)]) throws -> String {
            let json = "[" + entries.enumerated().map { index, entry in
                """
                {"id": \(index + 1), "node_id": "PRR_\(index)", "user": {"login": "\(entry.0)", "id": \(100 + index), "type": "User"}, "body": "", "state": "\(entry.1)", "html_url": "https://github.com/acme/db/pull/7#pullrequestreview-\(index)", "submitted_at": "2026-12-0\(index + 1)T10:00:00Z", "commit_id": "\(String(repeating: "a", count: 40))", "author_association": "MEMBER"}
                """
            }.joined(separator: ",") + "]"
            try repo.write("reviews.json", json)
            return "reviews.json"
        }
        let approved = try repo.check(["--reviews", try reviews([("Grace", "APPROVED"), ("carol", "COMMENTED")]), "--author", "dana"])
        #expect(approved.status == 0, "\(approved.stdout) \(approved.stderr)")
        // A later CHANGES_REQUESTED takes the approval back; a later COMMENTED does not.
        let withdrawn = try repo.check(["--reviews", try reviews([("grace", "APPROVED"), ("grace", "CHANGES_REQUESTED")])])
        #expect(withdrawn.status == 1)
        let commented = try repo.check(["--reviews", try reviews([("grace", "APPROVED"), ("grace", "COMMENTED")])])
        #expect(commented.status == 0)
        let dismissed = try repo.check(["--reviews", try reviews([("frank", "APPROVED"), ("frank", "DISMISSED")])])
        #expect(dismissed.status == 1)
    }

    /// A breaking change to a public table needs the owners of the services that depend on it.
    @Test func aBreakingChangeToAPublicTableNeedsTheDependents() throws {
        let repo = try Repository(manifest: Self.manifest, base: Self.base)
        try repo.write("db/002_drop.sql", "ALTER TABLE plans DROP COLUMN name CASCADE;\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "drop")
        let result = try repo.check(["--approved-by", "frank"])
        #expect(result.status == 1)
        #expect(lines(result) == [
            "db/002_drop.sql:1:13: error[missing-approval]: `reports` has not approved this change (drops column name of plans, which it depends on): it needs 1 approval from @carol, has 0",
        ], "\(result.stdout)")
        #expect(try repo.check(["--approved-by", "frank,carol"]).status == 0)
        // dependents_must_approve: false leaves it to billing.
        try repo.write("ownership.yml", Self.manifest + "review: {dependents_must_approve: false}\n")
        #expect(try repo.check(["--approved-by", "frank"]).status == 0)
    }

    /// A new view onto another service's private table needs that service's consent.
    @Test func aViewOntoAPrivateTableNeedsItsOwner() throws {
        let repo = try Repository(manifest: Self.manifest, base: Self.base)
        try repo.write("db/002_view.sql", "CREATE VIEW monthly AS SELECT sum(total) AS total FROM invoices;\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "view")
        let result = try repo.check(["--approved-by", "carol"])
        #expect(result.status == 1)
        #expect(lines(result) == [
            "db/002_view.sql:1:13: error[missing-approval]: `billing` has not approved this change (view monthly of `reports` depends on private invoices): it needs 1 approval from @acme/billing (@frank, @grace), has 0",
        ], "\(result.stdout)")
        // Two approvals required of billing by the policy.
        try repo.write("ownership.yml", Self.manifest + "review: {services: {billing: 2}}\n")
        #expect(try repo.check(["--approved-by", "carol,frank"]).status == 1)
        #expect(try repo.check(["--approved-by", "carol,frank,grace"]).status == 0)
    }

    /// An edit of ownership.yml touches the services it moves tables between, whose entries it
    /// changes, and onto which it allows a new dependency.
    @Test func aManifestEditNeedsTheServicesItAffects() throws {
        let repo = try Repository(manifest: Self.manifest, base: Self.base)
        let edited = Self.manifest
            .replacingOccurrences(of: "tables: [invoices, plans], public: [plans]", with: "tables: [plans], public: [plans]")
            .replacingOccurrences(of: "tables: [revenue, monthly, plan_report]", with: "tables: [revenue, monthly, plan_report, invoices]")
            + "boundaries:\n  allow:\n    - {from: reports, to: api, objects: [accounts], reason: \"per-account revenue (ADR-12)\"}\n"
        try repo.write("ownership.yml", edited)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "move invoices")
        let result = try repo.check(["--approved-by", "carol"])
        #expect(result.status == 1)
        #expect(lines(result).isEmpty, "findings in the manifest are not under db/: \(result.stdout)")
        let findings = result.stdout.split(separator: "\n").filter { $0.hasPrefix("ownership.yml:") }.map(String.init)
        #expect(findings == [
            "ownership.yml:3:1: error[missing-approval]: `billing` has not approved this change (changes its entry in ownership.yml; moves table invoices to `reports` in ownership.yml): it needs 1 approval from @acme/billing (@frank, @grace), has 0",
            "ownership.yml:11:1: error[missing-approval]: `api` has not approved this change (allows `reports` to depend on it (boundaries.allow in ownership.yml)): it needs 1 approval from @acme/web, @dana (@alice, @dana), has 0",
        ], "\(result.stdout)")
        #expect(try repo.check(["--approved-by", "carol,grace,dana"]).status == 0)
    }

    @Test func badApprovalInputIsAnInputError() throws {
        let repo = try Repository(manifest: Self.manifest, base: Self.base)
        try repo.write("reviews.json", "{\"message\": \"Not Found\"}")
        let notReviews = try repo.check(["--reviews", "reviews.json"])
        #expect(notReviews.status == 2)
        #expect(notReviews.stderr.contains("reviews.json: error: not GitHub's reviews: expected a JSON array of reviews"), "\(notReviews.stderr)")
        try repo.write("reviews.json", "[{\"user\": {\"login\": \"x\"}, \"state\": \"LGTM\"}]")
        #expect(try repo.check(["--reviews", "reviews.json"]).stderr.contains("review 1 has state `LGTM`"))
        try repo.write("reviews.json", "not json")
        #expect(try repo.check(["--reviews", "reviews.json"]).status == 2)

        try repo.write("ownership.yml", Self.manifest.replacingOccurrences(of: "  \"@acme/web\": {members: [\"@alice\"]}\n", with: ""))
        let team = try repo.check(["--approved-by", "alice"])
        #expect(team.status == 2)
        #expect(team.stderr.contains("owner @acme/web of service `api` is a team, but `teams:` does not list its members"), "\(team.stderr)")

        try repo.write("ownership.yml", Self.manifest + "review: {services: {payments: 2}}\n")
        let unknown = try repo.check([])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("review.services names unknown service `payments`"), "\(unknown.stderr)")
    }
}
