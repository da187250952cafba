import StewardCore

/// Reads `DatabaseStatistics` from the catalog and the statistics views (pg_stat_user_tables,
/// and pg_stat_statements when it is installed and loaded). Counters are cumulative since the
/// statistics were last reset.
public enum StatisticsReader {
    public static func read(_ session: InspectionSession) throws(LiveError) -> DatabaseStatistics {
        let version = session.connection.serverVersion
        return try session.read { connection throws(LiveError) in
            let tables = try connection.query("""
                SELECT n.nspname, c.relname, CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END::text,
                  pg_total_relation_size(c.oid)::text,
                  coalesce(s.n_tup_ins, 0)::text, coalesce(s.n_tup_upd, 0)::text, coalesce(s.n_tup_del, 0)::text,
                  coalesce(s.seq_scan, 0)::text, coalesce(s.idx_scan, 0)::text
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                WHERE c.relkind IN ('r', 'p', 'm')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
                ORDER BY n.nspname, c.relname
                """).typedRows.map { row throws(LiveError) in
                DatabaseStatistics.TableStatistics(
                    schema: try row.text(0), name: try row.text(1), rowsEstimate: try row.optionalInteger(2), totalBytes: try row.integer(3),
                    inserts: try row.integer(4), updates: try row.integer(5), deletes: try row.integer(6),
                    sequentialScans: try row.integer(7), indexScans: try row.integer(8))
            }
            return DatabaseStatistics(serverVersion: "\(version / 10000).\(version % 10000)", tables: tables, roles: try roleStatistics(connection))
        }
    }

    /// Time and calls per role from pg_stat_statements; nil when it is not installed, or
    /// installed but not in shared_preload_libraries (reading it then fails).
    private static func roleStatistics(_ connection: PostgresConnection) throws(LiveError) -> [DatabaseStatistics.RoleStatistics]? {
        let installed = try connection.query("SELECT (to_regclass('pg_stat_statements') IS NOT NULL)::text").rows.first?.first == "true"
        guard installed else { return nil }
        try connection.query("SAVEPOINT steward_statements")
        do {
            let rows = try connection.query("""
                SELECT r.rolname, sum(s.calls)::bigint::text, sum(s.total_exec_time)::text
                FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid GROUP BY r.rolname ORDER BY r.rolname
                """)
            try connection.query("RELEASE SAVEPOINT steward_statements")
            return try rows.typedRows.map { row throws(LiveError) in
                DatabaseStatistics.RoleStatistics(role: try row.text(0), calls: try row.integer(1), totalExecutionMilliseconds: try row.double(2))
            }
        } catch {
            try connection.query("ROLLBACK TO SAVEPOINT steward_statements")
            return nil
        }
    }
}
