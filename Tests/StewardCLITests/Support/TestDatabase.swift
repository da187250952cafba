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

    /// Tables with their columns (name, format_type, not null) in column order, and their
    /// own foreign keys (not the clones Postgres adds to partitions).
    func catalog(_ database: String, excluding: Set<String> = []) throws -> [String: CatalogTable] {
        let query = """
            SELECT coalesce(json_agg(t), '[]') FROM (
              SELECT n.nspname AS schema, c.relname AS name,
                coalesce((SELECT json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull) ORDER BY a.attnum)
                   FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]') AS columns,
                coalesce((SELECT json_agg(json_build_array(con.conname,
                    (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num),
                    rn.nspname, rc.relname,
                    (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num)) ORDER BY con.conname)
                   FROM pg_constraint con JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                   WHERE con.conrelid = c.oid AND con.contype = 'f' AND con.conparentid = 0), '[]') AS foreign_keys
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
            ) t
            """
        let result = try psql(database, ["-At", "-c", query])
        try #require(result.status == 0, "catalog query failed: \(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        var tables: [String: CatalogTable] = [:]
        for row in rows {
            let key = "\(row["schema"] as? String ?? "").\(row["name"] as? String ?? "")"
            guard !excluding.contains(key) else { continue }
            let columns = (row["columns"] as? [[Any]] ?? []).map { CatalogColumn(name: $0[0] as? String ?? "", type: $0[1] as? String ?? "", notNull: $0[2] as? Bool ?? false) }
            let foreignKeys = Set((row["foreign_keys"] as? [[Any]] ?? []).map {
                CatalogForeignKey(name: $0[0] as? String ?? "", columns: $0[1] as? [String] ?? [],
                                  referencedTable: "\($0[2] as? String ?? "").\($0[3] as? String ?? "")", referencedColumns: $0[4] as? [String] ?? [])
            })
            tables[key] = CatalogTable(columns: columns, foreignKeys: foreignKeys)
        }
        return tables
    }
}

struct CatalogColumn: Equatable, CustomStringConvertible {
    var name: String
    var type: String
    var notNull: Bool
    var description: String { "\(name) \(type)\(notNull ? " not null" : "")" }
}

struct CatalogForeignKey: Hashable, CustomStringConvertible {
    var name: String
    var columns: [String]
    var referencedTable: String
    var referencedColumns: [String]
    var description: String { "\(name) (\(columns.joined(separator: ","))) -> \(referencedTable)(\(referencedColumns.joined(separator: ",")))" }
}

struct CatalogTable: Equatable {
    var columns: [CatalogColumn]
    var foreignKeys: Set<CatalogForeignKey>
}

/// The same shape, read from `steward model --format json`.
func catalogFromModelJSON(_ json: String) throws -> (tables: [String: CatalogTable], managed: Set<String>) {
    let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    var tables: [String: CatalogTable] = [:]
    var managed = Set<String>()
    for table in document["tables"] as? [[String: Any]] ?? [] {
        let key = "\(table["schema"] as? String ?? "").\(table["name"] as? String ?? "")"
        if table["managed_by"] is String { managed.insert(key) }
        let columns = (table["columns"] as? [[String: Any]] ?? []).map {
            CatalogColumn(name: $0["name"] as? String ?? "", type: $0["type"] as? String ?? "", notNull: $0["not_null"] as? Bool ?? false)
        }
        let foreignKeys = Set((table["constraints"] as? [[String: Any]] ?? []).filter {
            $0["kind"] as? String == "foreign key" && $0["inherited"] as? Bool != true
        }.map { constraint -> CatalogForeignKey in
            let references = constraint["references"] as? [String: Any] ?? [:]
            return CatalogForeignKey(name: constraint["name"] as? String ?? "", columns: constraint["columns"] as? [String] ?? [],
                                     referencedTable: "\(references["schema"] as? String ?? "").\(references["table"] as? String ?? "")",
                                     referencedColumns: references["columns"] as? [String] ?? [])
        })
        tables[key] = CatalogTable(columns: columns, foreignKeys: foreignKeys)
    }
    return (tables, managed)
}

/// Human-readable differences, empty when the two agree exactly.
func differences(model: [String: CatalogTable], database: [String: CatalogTable]) -> [String] {
    var result: [String] = []
    for name in Set(model.keys).union(database.keys).sorted() {
        switch (model[name], database[name]) {
        case (nil, _?): result.append("table \(name): in Postgres, missing from the model")
        case (_?, nil): result.append("table \(name): in the model, not in Postgres")
        case let (modelTable?, databaseTable?):
            if modelTable.columns != databaseTable.columns {
                result.append("table \(name) columns:\n  model:    \(modelTable.columns)\n  postgres: \(databaseTable.columns)")
            }
            if modelTable.foreignKeys != databaseTable.foreignKeys {
                let onlyModel = modelTable.foreignKeys.subtracting(databaseTable.foreignKeys).map(\.description).sorted()
                let onlyDatabase = databaseTable.foreignKeys.subtracting(modelTable.foreignKeys).map(\.description).sorted()
                result.append("table \(name) foreign keys:\n  only in model:    \(onlyModel)\n  only in postgres: \(onlyDatabase)")
            }
        default: break
        }
    }
    return result
}
