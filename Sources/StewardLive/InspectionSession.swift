/// A read-only view of a database: every inspection runs in one `READ ONLY` transaction with
/// `statement_timeout` and `lock_timeout`, rolled back at the end. Catalog queries and
/// `EXPLAIN` take at most `AccessShareLock`, which conflicts only with `ACCESS EXCLUSIVE`:
/// with `lock_timeout` Steward gives up rather than queue behind a migration and block others.
public final class InspectionSession {
    public let connection: PostgresConnection
    public let statementTimeoutMilliseconds: Int
    public let lockTimeoutMilliseconds: Int

    /// The oldest server whose catalog the queries read (`pg_trigger.tgparentid`: 13).
    public static let minimumServerVersion = 130000

    public init(_ connection: PostgresConnection, statementTimeoutMilliseconds: Int = 30_000, lockTimeoutMilliseconds: Int = 2_000) throws(LiveError) {
        guard connection.serverVersion >= Self.minimumServerVersion else {
            throw LiveError(.unsupportedServer, "\(connection.target) runs PostgreSQL \(connection.serverVersion / 10000); Steward reads PostgreSQL 13 and later")
        }
        self.connection = connection
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        // Also the session default, so that nothing outside `read` can write either.
        try connection.query("SELECT set_config('default_transaction_read_only', 'on', false)")
    }

    /// Runs `body` inside `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` (one consistent
    /// snapshot of the catalog), then rolls back whatever happens.
    public func read<Value>(_ body: (PostgresConnection) throws(LiveError) -> Value) throws(LiveError) -> Value {
        try connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            try connection.query("SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)",
                                 ["\(statementTimeoutMilliseconds)ms", "\(lockTimeoutMilliseconds)ms"])
            let value = try body(connection)
            try connection.query("ROLLBACK")
            return value
        } catch {
            _ = try? connection.query("ROLLBACK")
            throw error
        }
    }
}
