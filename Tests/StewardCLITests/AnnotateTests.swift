import Foundation
import StewardCore
import Testing

/// `steward annotate`: ownership written into table comments (`@owner <service>`), the migration
/// named per layout, and `ownership-comment-mismatch` gone once it is applied.
struct AnnotateTests {
    static let manifest = """
        version: 1
        services:
          billing: {owners: ["@acme/billing"], schemas: [billing]}
          identity: {owners: ["@acme/identity"], tables: [users, "o'brien"]}

        """

    static let migrations = [
        "0001_init.up.sql": """
            CREATE SCHEMA billing;
            CREATE TABLE billing.invoices (id bigint PRIMARY KEY);
            CREATE TABLE users (id bigint PRIMARY KEY);
            CREATE TABLE "o'brien" (id int);
            COMMENT ON TABLE billing.invoices IS 'Issued invoices; one row per PDF.';
            COMMENT ON TABLE users IS 'People who sign in. @owner billing (moved 2024)';

            """,
        "0001_init.down.sql": "DROP TABLE users;\n",
    ]

    func project() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-annotate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        try Data(Self.manifest.utf8).write(to: directory.appendingPathComponent("ownership.yml"))
        for (name, sql) in Self.migrations { try Data(sql.utf8).write(to: directory.appendingPathComponent("db/\(name)")) }
        return directory
    }

    @Test func theMigrationKeepsCommentsAndFixesTags() throws {
        let directory = try project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try steward(["check", "db", "--select", "ownership-comment-mismatch"], in: directory)
        #expect(before.stdout.contains("db/0001_init.up.sql:6:18: warning[ownership-comment-mismatch]: the comment of users says `@owner billing`, but ownership.yml gives it to `identity`"), "\(before.stdout)")

        let dryRun = try steward(["annotate", "db", "--dry-run"], in: directory)
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout == """
            -- db/0002_steward_ownership_comments.up.sql
            -- Ownership written into the schema by `steward annotate`: each table's comment names the service that owns
            -- it (ownership.yml). Existing comment text is kept.
            COMMENT ON TABLE billing.invoices IS 'Issued invoices; one row per PDF.

            @owner billing';
            COMMENT ON TABLE public."o'brien" IS '@owner identity';
            COMMENT ON TABLE public.users IS 'People who sign in. @owner identity (moved 2024)';
            -- db/0002_steward_ownership_comments.down.sql
            -- Restores the table comments as they were before `steward annotate`.
            COMMENT ON TABLE billing.invoices IS 'Issued invoices; one row per PDF.';
            COMMENT ON TABLE public."o'brien" IS NULL;
            COMMENT ON TABLE public.users IS 'People who sign in. @owner billing (moved 2024)';

            """)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("db/0002_steward_ownership_comments.up.sql").path))

        let written = try steward(["annotate", "db"], in: directory)
        #expect(written.stdout == "wrote db/0002_steward_ownership_comments.up.sql (3 table comments)\nwrote db/0002_steward_ownership_comments.down.sql (3 table comments)\n")
        let after = try steward(["check", "db", "--select", "ownership-comment-mismatch"], in: directory)
        #expect(after.status == 0)
        #expect(!after.stdout.contains("ownership-comment-mismatch"))
        #expect(try steward(["annotate", "db"], in: directory).stdout == "steward annotate: every owned table's comment already names its owner\n")
        // Never overwrites: a second file of the same name is refused.
        #expect(try steward(["annotate", "db", "--layout", "golang-migrate"], in: directory).status == 0)
    }

    /// A migration Steward cannot parse would leave tables out of the annotation: refused.
    @Test func aBrokenMigrationSetIsNotAnnotated() throws {
        let directory = try project()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("CREATE TABLE broken (;\n".utf8).write(to: directory.appendingPathComponent("db/0002_broken.up.sql"))
        let result = try steward(["annotate", "db"], in: directory)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("db/0002_broken.up.sql:1:"), "\(result.stderr)")
        #expect(result.stderr.contains("fix the migrations first"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("db/0003_steward_ownership_comments.up.sql").path))
    }
}

/// The tags as PostgreSQL stores them: the migration applied to a real PostgreSQL 15 keeps the
/// earlier comment text and makes `ownership-comment-mismatch` disappear.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct PostgresAnnotateTests {
    @Test func annotateAppliedToPostgresKeepsTheCommentText() throws {
        let database = try TestDatabase.require()
        let name = try database.createDatabase("steward_annotate")
        defer { database.dropDatabase(name) }
        let directory = try AnnotateTests().project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("db")
        #expect(try database.psql(name, ["-f", db.appendingPathComponent("0001_init.up.sql").path]).status == 0)
        #expect(try steward(["annotate", "db"], in: directory).status == 0)
        let applied = try database.psql(name, ["-f", db.appendingPathComponent("0002_steward_ownership_comments.up.sql").path])
        #expect(applied.status == 0, "\(applied.stderr)")
        let comments = try database.psql(name, ["-At", "-F", "|", "-c",
            "SELECT c.relname, replace(obj_description(c.oid, 'pg_class'), E'\\n', '\\n') FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('public', 'billing') ORDER BY 1"])
        #expect(comments.stdout == """
            invoices|Issued invoices; one row per PDF.\\n\\n@owner billing
            o'brien|@owner identity
            users|People who sign in. @owner identity (moved 2024)

            """, "\(comments.stdout) \(comments.stderr)")
        #expect(try steward(["check", "db", "--select", "ownership-comment-mismatch"], in: directory).status == 0)
        // The down migration restores the comments as they were.
        #expect(try database.psql(name, ["-f", db.appendingPathComponent("0002_steward_ownership_comments.down.sql").path]).status == 0)
        let restored = try database.psql(name, ["-At", "-c", "SELECT obj_description('users'::regclass, 'pg_class')"])
        #expect(restored.stdout == "People who sign in. @owner billing (moved 2024)\n")
    }
}
