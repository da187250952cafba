import Foundation
import StewardCore
import StewardSQL

/// Each migration tool's own record of what it applied (see `../shared/notes/migration-tools.md`),
/// read and compared with the repository's migrations.
public enum MigrationBookkeeping {
    /// Every tool's table in its default place: excluded from drift when the model does not
    /// hold it (the model seeds its own tool's table where the tool creates it first).
    public static let allTables: [ObjectName] = [
        ObjectName(schema: "public", name: "schema_migrations"), ObjectName(schema: "public", name: "goose_db_version"),
        ObjectName(schema: "public", name: "flyway_schema_history"), ObjectName(schema: "public", name: "__diesel_schema_migrations"),
        ObjectName(schema: "public", name: "_prisma_migrations"), ObjectName(schema: "public", name: "atlas_schema_revisions"),
        ObjectName(schema: "atlas_schema_revisions", name: "atlas_schema_revisions"),
    ]

    /// Schemas that only hold a tool's registry (Sqitch `sqitch`, Atlas's default revisions schema).
    public static let registrySchemas: Set<String> = ["sqitch", "atlas_schema_revisions"]

    /// The status, or nil for layouts without bookkeeping (plain psql files).
    static func status(of set: MigrationSet, _ connection: PostgresConnection) throws(LiveError) -> MigrationStatus? {
        func exists(_ table: String) throws(LiveError) -> Bool {
            try connection.query("SELECT (to_regclass($1) IS NOT NULL)::text", [table]).rows.first?.first == "true"
        }
        func rows(_ sql: String) throws(LiveError) -> [[String?]] { try connection.query(sql).rows }
        /// Versions are numbers for golang-migrate and goose (`0001` is recorded as `1`).
        let numeric: (MigrationFile) -> String = { file in
            let digits = file.version.drop { $0 == "0" }
            return digits.isEmpty ? "0" : String(digits)
        }
        switch set.layout {
        case .golangMigrate:
            // database/postgres/postgres.go: one row, the latest version and its dirty flag.
            let table = "schema_migrations"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            let applied = try rows("SELECT version::text, dirty::text FROM schema_migrations").map {
                AppliedMigration(version: $0[0] ?? "", failed: $0[1] == "true")
            }
            var status = MigrationStatus.compare(set, applied: applied, table: table, latestOnly: true, version: numeric)
            status.notes.append("golang-migrate records only the latest version: earlier migrations count as applied")
            return status
        case .goose:
            // Provider API: a row per applied version (down deletes it); the older API inserts
            // is_applied = false on down, so the newest row of each version decides.
            let table = "goose_db_version"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            let applied = try rows("""
                SELECT DISTINCT ON (version_id) version_id::text, is_applied::text FROM goose_db_version
                WHERE version_id <> 0 ORDER BY version_id, id DESC
                """).filter { $0[1] == "true" }.map { AppliedMigration(version: $0[0] ?? "") }
            return MigrationStatus.compare(set, applied: applied, table: table, version: numeric)
        case .dbmate:
            let table = "schema_migrations"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            return MigrationStatus.compare(set, applied: try rows("SELECT version FROM schema_migrations").map { AppliedMigration(version: $0[0] ?? "") },
                                           table: table)
        case .diesel:
            let table = "__diesel_schema_migrations"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            return MigrationStatus.compare(set, applied: try rows("SELECT version FROM __diesel_schema_migrations").map { AppliedMigration(version: $0[0] ?? "") },
                                           table: table)
        case .flyway:
            // Versioned rows only (repeatables have no version); `success = false` blocks `migrate`.
            let table = "flyway_schema_history"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            let applied = try rows("SELECT version, success::text FROM flyway_schema_history WHERE version IS NOT NULL").map {
                AppliedMigration(version: $0[0] ?? "", failed: $0[1] != "true")
            }
            var status = MigrationStatus.compare(set, applied: applied, table: table,
                                                 version: { $0.version.replacingOccurrences(of: "_", with: ".") })
            status.notes.append("Flyway's CRC32 checksums are not compared")
            return status
        case .prisma:
            // migration_name is the folder name; checksum is the SHA-256 of migration.sql.
            let table = "_prisma_migrations"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            let applied = try rows("SELECT migration_name, checksum, (finished_at IS NULL AND rolled_back_at IS NULL)::text FROM _prisma_migrations WHERE rolled_back_at IS NULL").map {
                AppliedMigration(version: $0[0] ?? "", checksum: $0[1], failed: $0[2] == "true")
            }
            return MigrationStatus.compare(set, applied: applied, table: table,
                                           version: { URL(fileURLWithPath: $0.path).deletingLastPathComponent().lastPathComponent },
                                           checksum: { MigrationChecksum.sha256Hex($0.original.bytes) })
        case .atlas:
            // In the URL's schema, else the schema atlas_schema_revisions; `error` set on failure.
            let table = try exists("atlas_schema_revisions.atlas_schema_revisions") ? "atlas_schema_revisions.atlas_schema_revisions" : "atlas_schema_revisions"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            let applied = try rows("SELECT version, (coalesce(error, '') <> '' OR applied < total)::text FROM \(table)").map {
                AppliedMigration(version: $0[0] ?? "", failed: $0[1] == "true")
            }
            return MigrationStatus.compare(set, applied: applied, table: table)
        case .sqitch:
            let table = "sqitch.changes"
            guard try exists(table) else { return MigrationStatus(table: table, tableExists: false) }
            let applied = try rows("SELECT change FROM sqitch.changes").map { AppliedMigration(version: $0[0] ?? "") }
            return MigrationStatus.compare(set, applied: applied, table: table, version: \.name)
        case .plain:
            return nil
        }
    }
}
