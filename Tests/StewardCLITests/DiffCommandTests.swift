import Foundation
import StewardCore
import Testing

/// `steward diff` against a real PostgreSQL 15: drift per service and the migration tool's
/// bookkeeping; connection problems as clear errors with the password masked.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct DiffCommandTests {
    static let fixture = Paths.fixtures.appendingPathComponent("live-drift")
    static var migrations: String { fixture.appendingPathComponent("db/migrations").path }
    static var manifest: String { fixture.appendingPathComponent("ownership.yml").path }

    /// A database migrated as dbmate would, its bookkeeping included.
    private func migratedDatabase() throws -> (TestDatabase, String) {
        let database = try TestDatabase.require()
        let name = try database.createDatabase("steward_drift")
        let set = try MigrationDiscovery.discover(at: Self.migrations)
        try #require(try database.apply(set, to: name).isEmpty)
        let versions = set.files.map { "('\($0.version)')" }.joined(separator: ", ")
        try database.psql(name, ["-c", "INSERT INTO schema_migrations (version) VALUES \(versions)"])
        return (database, name)
    }

    private func diff(_ database: TestDatabase, _ name: String, format: String = "json") throws -> CommandResult {
        try steward(["diff", Self.migrations, "--manifest", Self.manifest, "--db", database.url(name), "--format", format])
    }

    @Test func aDatabaseBuiltFromTheMigrationsHasNoDrift() throws {
        let (database, name) = try migratedDatabase()
        defer { database.dropDatabase(name) }
        let result = try diff(database, name, format: "text")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("migrations (schema_migrations): up to date"))
        #expect(result.stdout.contains("0 differences"))
    }

    /// Hand-made changes come out exactly, each with its service.
    @Test func handMadeChangesAreExactlyTheDrift() throws {
        let (database, name) = try migratedDatabase()
        defer { database.dropDatabase(name) }
        try database.psql("postgres", ["-c", "DO $$ BEGIN CREATE ROLE reporting; EXCEPTION WHEN duplicate_object THEN NULL; END $$"])
        try database.psql(name, ["-c", """
            CREATE TABLE handmade (id int);
            ALTER TABLE orders ALTER COLUMN note TYPE text;
            DROP INDEX orders_customer_idx;
            GRANT SELECT ON customers TO reporting;
            ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';
            DELETE FROM schema_migrations WHERE version = '20240103000000';
            """])
        let before = try catalogFingerprint(database, name)
        let result = try diff(database, name)
        #expect(result.status == 1, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let differences = (document["differences"] as? [[String: Any]] ?? []).map {
            "\($0["service"] as? String ?? "unowned") \($0["kind"] as? String ?? "") \($0["object_kind"] as? String ?? "") \($0["object"] as? String ?? ""): "
                + "\($0["expected"] as? String ?? "-") / \($0["actual"] as? String ?? "-")"
        }
        #expect(differences == [
            "accounts extra privilege public.customers to reporting: - / SELECT",
            "ordering differs column public.orders.note: character varying(200) / text",
            "ordering differs default public.orders.status: 'new' / 'pending'::text",
            "ordering missing index public.orders_customer_idx: on public.orders using btree (customer_id) / -",
            "unowned extra table public.handmade: - / table",
        ])
        try expectValid(result.stdout, schema: "docs/live-comparison.schema.json")
        let migrations = try #require(document["migrations"] as? [String: Any])
        #expect((migrations["pending"] as? [[String: Any]])?.compactMap { $0["version"] as? String } == ["20240103000000"])
        #expect((migrations["applied_not_in_repository"] as? [String]) == [])

        let text = try diff(database, name, format: "text")
        #expect(text.stdout.contains("database only: table public.handmade: table [unowned-object: no service claims it]"))
        #expect(text.stdout.contains("1 pending: Tests/Fixtures/live-drift/db/migrations/20240103000000_order_status.sql")
                || text.stdout.contains("1 pending: \(Self.migrations)/20240103000000_order_status.sql"), "\(text.stdout)")
        #expect(text.stdout.contains("created at"))
        let markdown = try diff(database, name, format: "markdown")
        #expect(markdown.stdout.contains("| ordering | `public.orders.note` | differs column | character varying(200) | text |"), "\(markdown.stdout)")

        // Steward wrote nothing: the catalog and the bookkeeping are as they were.
        #expect(try catalogFingerprint(database, name) == before)
    }

    @Test func applicationFromAnotherRepositoryAndDirtyState() throws {
        let (database, name) = try migratedDatabase()
        defer { database.dropDatabase(name) }
        try database.psql(name, ["-c", "INSERT INTO schema_migrations (version) VALUES ('20990101000000')"])
        let result = try diff(database, name, format: "text")
        #expect(result.status == 1)
        #expect(result.stdout.contains("applied but not in the repository: 20990101000000"), "\(result.stdout)")
    }

    @Test func theDatabaseURLComesFromTheEnvironment() throws {
        let (database, name) = try migratedDatabase()
        defer { database.dropDatabase(name) }
        let result = try steward(["diff", Self.migrations, "--manifest", Self.manifest], environment: ["DATABASE_URL": database.url(name)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dbname=\(name)"))
        // libpq's own variables when neither --db nor DATABASE_URL is set.
        let libpqDefaults = try steward(["diff", Self.migrations, "--manifest", Self.manifest],
                                        environment: ["DATABASE_URL": "", "PGHOST": database.host, "PGPORT": database.port, "PGUSER": database.user, "PGDATABASE": name])
        #expect(libpqDefaults.status == 0, "\(libpqDefaults.stderr)")
    }

    @Test("connection problems exit 2 with a clear message and no password", arguments: [
        ("host=db password=hunter2-secret port", "invalid connection string"),
        ("postgresql://app:hunter2-secret@127.0.0.1:1/x", "Connection refused"),
        ("postgresql://app:hunter2-secret@[::1", "invalid connection string"),
    ])
    func connectionProblems(_ url: String, _ expected: String) throws {
        let result = try steward(["diff", Self.migrations, "--manifest", Self.manifest, "--db", url])
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2-secret") && !result.stdout.contains("hunter2-secret"))
    }

    @Test func aWrongPasswordIsAnAuthenticationError() throws {
        let database = try TestDatabase.require()
        let result = try steward(["diff", Self.migrations, "--manifest", Self.manifest,
                                  "--db", "postgresql://postgres:hunter2-wrong@127.0.0.1:\(database.port)/postgres"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("password authentication failed"), "\(result.stderr)")
        #expect(result.stderr.contains("check the user and password"))
        #expect(!result.stderr.contains("hunter2-wrong"))
        let password = try #require(ProcessInfo.processInfo.environment["STEWARD_TEST_PGPASSWORD"])
        let right = try steward(["diff", Self.migrations, "--manifest", Self.manifest,
                                 "--db", "postgresql://postgres:\(password)@127.0.0.1:\(database.port)/postgres"])
        #expect(right.status == 1, "\(right.stderr)")
        #expect(!right.stdout.contains(password))
    }

    /// The test server has no SSL: `sslmode=require` is an SSL error, said as such.
    @Test func sslRequiredButUnavailable() throws {
        let database = try TestDatabase.require()
        let result = try steward(["diff", Self.migrations, "--manifest", Self.manifest,
                                  "--db", "postgresql://postgres:hunter2-secret@127.0.0.1:\(database.port)/postgres?sslmode=require"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("SSL"), "\(result.stderr)")
        #expect(result.stderr.contains("check sslmode and the server's certificates"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2-secret"))
    }

    /// A server that accepts the TCP connection and never answers: libpq's connect_timeout.
    @Test func aServerThatNeverAnswersTimesOut() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let result = try steward(["diff", Self.migrations, "--manifest", Self.manifest,
                                  "--db", "postgresql://app:hunter2-secret@127.0.0.1:\(port)/x?connect_timeout=1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("timeout expired"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2-secret"))
    }

    /// The output against its published JSON Schema.
    private func expectValid(_ json: String, schema: String) throws {
        let script = "import json, sys, jsonschema; jsonschema.validate(json.loads(sys.stdin.read()), json.load(open(sys.argv[1])))"
        let check = try run("/usr/bin/env", ["python3", "-c", script, schema], in: Paths.packageRoot, stdin: json)
        #expect(check.status == 0, "\(check.stderr)")
    }

    /// Relations, columns, privileges, comments and the bookkeeping rows, as one digest.
    private func catalogFingerprint(_ database: TestDatabase, _ name: String) throws -> String {
        let result = try database.psql(name, ["-At", "-c", """
            SELECT md5(string_agg(line, E'\\n' ORDER BY line)) FROM (
              SELECT c.oid::regclass::text || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '') AS line FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace
              UNION ALL SELECT attrelid::regclass::text || '.' || attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute
                WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace) AND attnum > 0
              UNION ALL SELECT 'version ' || version FROM schema_migrations
              UNION ALL SELECT 'description ' || description FROM pg_description
            ) facts
            """])
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdout
    }
}
