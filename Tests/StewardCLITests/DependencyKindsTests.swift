import Foundation
import Testing

/// Every kind of cross-service dependency, each at its exact location, and the access levels
/// (`public:`) that make a dependency a documented contract instead of an error.
struct DependencyKindsTests {
    static let manifest = """
        version: 1
        services:
          billing: {owners: ["@acme/billing"], schemas: [billing], roles: [svc_billing], public: [billing.plans]}
          reports: {owners: ["@acme/reports"], schemas: [reports], tables: [billing.report_cache], roles: [svc_reports]}

        """

    static let migrations = [
        "001_base.sql": "CREATE SCHEMA billing;\nCREATE SCHEMA reports;\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY, total numeric);\nCREATE TABLE billing.plans (id bigint PRIMARY KEY, name text);\n",
        "002_views.sql": "CREATE VIEW reports.revenue AS SELECT sum(total) AS total FROM billing.invoices;\nCREATE MATERIALIZED VIEW reports.plan_names AS SELECT name FROM billing.plans;\n",
        "003_grants.sql": "\nGRANT SELECT, INSERT ON billing.invoices TO svc_reports;\nGRANT SELECT ON billing.plans TO svc_reports;\n",
        "004_trigger.sql": "CREATE FUNCTION reports.audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER invoices_audit AFTER INSERT ON billing.invoices FOR EACH ROW EXECUTE FUNCTION reports.audit();\n",
        "005_cache.sql": "CREATE TABLE billing.report_cache (id bigint PRIMARY KEY, plan_id bigint REFERENCES billing.plans (id));\n",
        "006_code.sql": """
            CREATE FUNCTION reports.total_due() RETURNS numeric LANGUAGE sql STABLE AS $$
              SELECT sum(total)
              FROM billing.invoices
            $$;
            CREATE FUNCTION reports.close_month() RETURNS void LANGUAGE plpgsql AS $body$
            BEGIN
              UPDATE billing.invoices SET total = 0 WHERE total < 0;
            END
            $body$;
            CREATE TABLE reports.snapshots (id bigint PRIMARY KEY);
            INSERT INTO billing.invoices (id, total) VALUES (1, 0);
            CREATE SEQUENCE reports.invoice_numbers OWNED BY billing.invoices.id;

            """,
    ]

    func project(extra: [String: String] = [:]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-deps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        try Data(Self.manifest.utf8).write(to: directory.appendingPathComponent("ownership.yml"))
        for (name, sql) in Self.migrations.merging(extra, uniquingKeysWith: { $1 }) {
            try Data(sql.utf8).write(to: directory.appendingPathComponent("db/\(name)"))
        }
        return directory
    }

    @Test func eachKindIsReportedAtItsStatement() throws {
        let directory = try project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try steward(["check", "db", "--select", "cross-service-dependency,cross-service-foreign-key"], in: directory)
        #expect(result.status == 1)
        let headlines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("db/") }.map(String.init)
        #expect(headlines == [
            "db/002_views.sql:1:13: error[cross-service-dependency]: view reports.revenue of `reports` reads billing.invoices, owned by `billing`",
            "db/002_views.sql:2:26: note[cross-service-dependency]: materialized view reports.plan_names of `reports` reads billing.plans, owned by `billing` (public in ownership.yml: a documented contract)",
            "db/003_grants.sql:2:1: error[cross-service-dependency]: role svc_reports of `reports` is granted SELECT, INSERT on billing.invoices, owned by `billing`: `reports` can write another service's rows",
            "db/003_grants.sql:3:1: note[cross-service-dependency]: role svc_reports of `reports` is granted SELECT on billing.plans, owned by `billing` (public in ownership.yml: a documented contract)",
            "db/004_trigger.sql:2:1: error[cross-service-dependency]: trigger invoices_audit runs reports.audit() of `reports` on billing.invoices, owned by `billing`: every write of `billing` runs `reports`'s code",
            "db/005_cache.sql:1:14: error[cross-service-dependency]: table billing.report_cache of `reports` is in schema billing, which `billing` claims",
            "db/005_cache.sql:1:74: note[cross-service-foreign-key]: foreign key report_cache_plan_id_fkey on billing.report_cache(plan_id) references billing.plans(id): service `reports` depends on a table owned by `billing` (public in ownership.yml: a documented contract)",
            "db/006_code.sql:3:8: error[cross-service-dependency]: function reports.total_due() of `reports` reads billing.invoices, owned by `billing`",
            "db/006_code.sql:7:1: error[cross-service-dependency]: function reports.close_month() of `reports` writes billing.invoices, owned by `billing`",
            "db/006_code.sql:11:13: error[cross-service-dependency]: INSERT in 006_code.sql, a migration of `reports`, writes rows of billing.invoices, owned by `billing`",
            "db/006_code.sql:12:1: error[cross-service-dependency]: sequence reports.invoice_numbers of `reports` is owned by a column of billing.invoices, owned by `billing`: it is dropped with the column",
        ], "\(result.stdout)")
        #expect(result.stdout.hasSuffix("8 errors, 0 warnings, 3 notes\n"))
    }

    /// A documented exception allows any kind, as it does foreign keys.
    @Test func boundariesAllowCoversEveryKind() throws {
        let directory = try project()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data((Self.manifest + "boundaries:\n  allow:\n    - {from: reports, to: billing, reason: \"reports reads billing (ADR-9)\"}\n").utf8)
            .write(to: directory.appendingPathComponent("ownership.yml"))
        let result = try steward(["check", "db", "--select", "cross-service-dependency", "--show-allowed"], in: directory)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("0 errors, 0 warnings, 10 allowed\n"), "\(result.stdout)")
        #expect(result.stdout.components(separatedBy: "= allowed by boundaries.allow (ownership.yml:7): reports reads billing (ADR-9)").count == 11)
    }

    /// A breaking change to a public table is an error even when nothing in the schema depends on it.
    @Test func aBreakingChangeToAPublicTableIsAnError() throws {
        let directory = try project(extra: ["007_drop.sql": "ALTER TABLE billing.plans DROP COLUMN name;\nALTER TABLE billing.invoices DROP COLUMN total;\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try steward(["check", "db", "--select", "drop-column"], in: directory)
        let headlines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("db/") }.map(String.init)
        #expect(headlines.count == 2, "\(result.stdout)")
        #expect(headlines.first?.hasPrefix("db/007_drop.sql:1:13: error[drop-column]: DROP COLUMN name of billing.plans") == true)
        #expect(headlines.first?.contains("billing.plans is public in ownership.yml: other services may rely on it") == true)
        // invoices is private, but reports' view reads it: an error naming reports.
        #expect(headlines.last?.hasPrefix("db/007_drop.sql:2:13: error[drop-column]: DROP COLUMN total of billing.invoices") == true, "\(headlines)")
    }

    /// The ownership report shows access levels and draws every kind.
    @Test func theReportShowsAccessAndEveryKind() throws {
        let directory = try project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try steward(["report", "db"], in: directory)
        #expect(result.status == 0)
        #expect(result.stdout.contains("| billing.plans | public |"))
        #expect(result.stdout.contains("| billing.invoices | private |"))
        #expect(result.stdout.contains("s1 -->|\"data write 1, foreign key 1, function 2, grant 2, schema 1, sequence 1, trigger 1, view 2\"| s0"), "\(result.stdout)")
        #expect(result.stdout.contains("| `reports` | entangled |"))
    }
}
