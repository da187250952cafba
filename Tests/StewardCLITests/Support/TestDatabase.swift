import Foundation
import StewardCore
import Testing

/// The throw-away PostgreSQL 15 that scripts/with-postgres starts for the suite.
struct TestDatabase {
    let host: String
    let port: String
    let user: String

    static var fromEnvironment: TestDatabase? {
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["STEWARD_TEST_PGHOST"], let port = environment["STEWARD_TEST_PGPORT"] else { return nil }
        return TestDatabase(host: host, port: port, user: environment["STEWARD_TEST_PGUSER"] ?? "postgres")
    }

    /// Without a server the comparison tests are skipped locally but fail under scripts/test and CI.
    static var isAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment
        return fromEnvironment != nil || environment["STEWARD_REQUIRE_POSTGRES"] == "1" || environment["CI"] == "true"
    }

    static func require() throws -> TestDatabase {
        try #require(fromEnvironment, "no PostgreSQL: run the suite with scripts/test (it starts one)")
    }

    var psqlPath: String {
        ["/usr/bin/psql", "/usr/lib/postgresql/15/bin/psql", "/usr/local/bin/psql"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/psql"
    }

    @discardableResult
    func psql(_ database: String, _ arguments: [String]) throws -> CommandResult {
        try run(psqlPath, ["-X", "-q", "-h", host, "-p", port, "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1"] + arguments)
    }

    func createDatabase(_ prefix: String) throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())".replacingOccurrences(of: "-", with: "_")
        let result = try psql("postgres", ["-c", "CREATE DATABASE \(name)"])
        try #require(result.status == 0, "CREATE DATABASE failed: \(result.stderr)")
        return name
    }

    func dropDatabase(_ name: String) {
        _ = try? psql("postgres", ["-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
    }

    /// Applies a migration set the way its tool would: in Steward's order, only the up
    /// sections, one transaction per file where the tool uses one.
    func apply(_ set: MigrationSet, to database: String) throws -> [String] {
        var failures: [String] = []
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("steward-apply-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        if set.layout == .golangMigrate {
            // golang-migrate creates its table before the first migration (Harbor's migrations alter it).
            try psql(database, ["-c", "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)"])
        } else if set.layout == .dbmate {
            // dbmate's CreateMigrationsTable.
            try psql(database, ["-c", "CREATE TABLE schema_migrations (version varchar(255) PRIMARY KEY)"])
        } else if set.layout == .diesel {
            // diesel's setup_migration_table.sql.
            try psql(database, ["-c", """
                CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
                    version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)
                """])
        }
        for (index, file) in set.files.enumerated() {
            let path = scratch.appendingPathComponent(String(format: "%05d.sql", index))
            let result: CommandResult
            switch (set.layout, file.transaction) {
            case (.sqitch, _):
                // Sqitch runs the script itself through psql, meta-commands and variables included.
                try Data(file.original.bytes).write(to: path)
                result = try psql(database, ["--set", "registry=sqitch", "-f", path.path])
            case (_, .explicitPerFile):
                try Data(file.source.bytes).write(to: path)
                result = try psql(database, ["--single-transaction", "-f", path.path])
            case (_, .perStatement), (_, .implicitSingleQuery):
                // An implicit single-query transaction is applied statement by statement: the
                // generated corpus (like many real sets) puts CREATE INDEX CONCURRENTLY among other
                // statements, which the tool itself would refuse; the change-safety rules say so.
                try Data(file.source.bytes).write(to: path)
                result = try psql(database, ["-f", path.path])
            }
            if result.status != 0 { failures.append("\(file.path): \(result.stderr.prefix(400))") }
        }
        return failures
    }

    /// The server as a libpq connection string (over the trusted Unix socket).
    func url(_ database: String = "postgres") -> String { "host=\(host) port=\(port) user=\(user) dbname=\(database)" }
}
