import Foundation
import StewardCore
import Testing

/// `steward audit` against a real PostgreSQL 15: the services' roles (Tests/Fixtures/live-drift's
/// manifest) against the ownership boundaries.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct AuditCommandTests {
    static var migrations: String { DiffCommandTests.migrations }
    static var manifest: String { DiffCommandTests.manifest }

    /// A database migrated from the fixture, its tables owned by their services' roles, which
    /// have a connection limit each; `changes` then applied as a superuser.
    private func database(_ changes: String) throws -> (TestDatabase, String) {
        let database = try TestDatabase.require()
        try database.psql("postgres", ["-c", """
            DO $$ BEGIN
              CREATE ROLE steward_t_accounts LOGIN CONNECTION LIMIT 10;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            DO $$ BEGIN
              CREATE ROLE steward_t_ordering LOGIN CONNECTION LIMIT 10;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            ALTER ROLE steward_t_accounts CONNECTION LIMIT 10 NOSUPERUSER NOBYPASSRLS;
            ALTER ROLE steward_t_ordering CONNECTION LIMIT 10 NOSUPERUSER NOBYPASSRLS;
            """])
        let name = try database.createDatabase("steward_audit")
        try #require(try database.apply(try MigrationDiscovery.discover(at: Self.migrations), to: name).isEmpty)
        try database.psql(name, ["-c", """
            ALTER TABLE customers OWNER TO steward_t_accounts;
            ALTER TABLE orders OWNER TO steward_t_ordering;
            \(changes)
            """])
        return (database, name)
    }

    private func audit(_ database: TestDatabase, _ name: String, format: String = "json") throws -> CommandResult {
        try steward(["audit", Self.migrations, "--manifest", Self.manifest, "--db", database.url(name), "--format", format])
    }

    @Test func aDatabaseThatRespectsTheBoundariesIsClean() throws {
        let (database, name) = try database("")
        defer { database.dropDatabase(name) }
        let result = try audit(database, name, format: "text")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("accounts: steward_t_accounts (connection limit 10); owns 2 relations"), "\(result.stdout)")
        #expect(result.stdout.contains("service limits add up to 20"))
        #expect(result.stdout.contains("0 errors, 0 warnings"))
    }

    /// A cross-service write grant, a PUBLIC grant and a wrongly owned table: exactly those.
    @Test func exactlyTheBoundaryViolations() throws {
        let (database, name) = try database("""
            GRANT INSERT, UPDATE ON customers TO steward_t_ordering;
            GRANT SELECT ON orders TO PUBLIC;
            CREATE TABLE customer_notes (id int);
            ALTER TABLE customer_notes OWNER TO steward_t_ordering;
            """)
        defer { database.dropDatabase(name) }
        let manifest = try temporaryManifest(adding: "customer_notes", to: "accounts")
        defer { try? FileManager.default.removeItem(atPath: manifest) }
        let result = try steward(["audit", Self.migrations, "--manifest", manifest, "--db", database.url(name), "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = (document["findings"] as? [[String: Any]] ?? []).map {
            "\($0["severity"] as? String ?? "") \($0["check"] as? String ?? "") \($0["object"] as? String ?? ""): \($0["message"] as? String ?? "")"
        }
        #expect(findings == [
            "error cross-service-write-privilege public.customers: ordering's role steward_t_ordering can INSERT, UPDATE table public.customers, private to accounts",
            "warning public-grant public.orders: table public.orders (ordering) grants SELECT to PUBLIC: every role, every service, has it",
            "warning wrong-owner public.customer_notes: table public.customer_notes belongs to accounts but is owned by ordering's role steward_t_ordering: the owner can alter or drop it",
        ], "\(findings)")
    }

    @Test func defaultPrivilegesAcrossTheBoundary() throws {
        let (database, name) = try database("ALTER DEFAULT PRIVILEGES FOR ROLE steward_t_accounts IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO steward_t_ordering;")
        defer { database.dropDatabase(name) }
        let result = try audit(database, name, format: "text")
        #expect(result.status == 0, "a warning: \(result.stdout)")
        #expect(result.stdout.contains("warning[cross-service-default-privilege]: tables accounts's role steward_t_accounts creates in public grant INSERT to ordering's role steward_t_ordering"), "\(result.stdout)")
        #expect(result.stdout.contains("objects steward_t_accounts creates in public: tables grant INSERT, SELECT to steward_t_ordering"))
    }

    @Test func superusersUnlimitedRolesAndTheConnectionBudget() throws {
        let (database, name) = try database("")
        defer {
            database.dropDatabase(name)
            _ = try? database.psql("postgres", ["-c", "ALTER ROLE steward_t_accounts NOSUPERUSER CONNECTION LIMIT 10; ALTER ROLE steward_t_ordering NOBYPASSRLS CONNECTION LIMIT 10"])
        }
        try database.psql("postgres", ["-c", "ALTER ROLE steward_t_accounts SUPERUSER CONNECTION LIMIT -1; ALTER ROLE steward_t_ordering BYPASSRLS"])
        var result = try audit(database, name, format: "text")
        #expect(result.status == 1)
        #expect(result.stdout.contains("error[superuser-service-role]: accounts's role steward_t_accounts is a superuser"), "\(result.stdout)")
        #expect(result.stdout.contains("error[bypassrls-service-role]: ordering's role steward_t_ordering has BYPASSRLS"))
        #expect(result.stdout.contains("warning[unlimited-connections]: accounts's role steward_t_accounts has no connection limit"))
        try database.psql("postgres", ["-c", "ALTER ROLE steward_t_accounts NOSUPERUSER CONNECTION LIMIT 500; ALTER ROLE steward_t_ordering NOBYPASSRLS"])
        result = try audit(database, name, format: "text")
        #expect(result.status == 1)
        #expect(result.stdout.contains("error[connection-budget-exceeded]: the services' connection limits add up to 510"), "\(result.stdout)")
    }

    @Test func aManifestWithoutRolesIsAnInputError() throws {
        let database = try TestDatabase.require()
        let result = try steward(["audit", Self.migrations, "--manifest", Paths.packageRoot.appendingPathComponent("ownership.yml").path,
                                  "--db", "postgresql://x:topsecret@127.0.0.1:1/x"])
        // The example manifest has roles: the connection is what fails, masked.
        #expect(result.status == 2)
        #expect(!result.stderr.contains("topsecret"))
        _ = database
        let noRoles = try temporaryManifest(adding: nil, to: nil, withoutRoles: true)
        defer { try? FileManager.default.removeItem(atPath: noRoles) }
        let empty = try steward(["audit", Self.migrations, "--manifest", noRoles, "--db", "postgresql://x@127.0.0.1:1/x"])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no service lists `roles:`: nothing to audit"), "\(empty.stderr)")
    }

    private func temporaryManifest(adding table: String?, to service: String?, withoutRoles: Bool = false) throws -> String {
        var text = try String(contentsOfFile: Self.manifest, encoding: .utf8)
        if let table, let service { text = text.replacingOccurrences(of: "tables: [customers]", with: service == "accounts" ? "tables: [customers, \(table)]" : "tables: [customers]") }
        if withoutRoles { text = text.split(separator: "\n").filter { !$0.contains("roles:") }.joined(separator: "\n") + "\n" }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steward-audit-\(UUID().uuidString).yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
