/// Statements that matter for what they lock, not for the schema they leave.

/// `SET [LOCAL] name = value`, `SET name TO DEFAULT`, `RESET name`.
public struct SetVariable: Sendable {
    /// Lower-case setting name, e.g. `lock_timeout`.
    public var name: String
    /// The value as written (`'5s'` arrives as `5s`, `0` as `0`); nil for DEFAULT / RESET.
    public var value: String?
    public var isLocal: Bool
}

public struct TableOperation: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `REINDEX INDEX|TABLE|SCHEMA|DATABASE|SYSTEM`.
        case reindex(ReindexTarget)
        case refreshMaterializedView(withNoData: Bool)
        /// `VACUUM` (with `FULL` when `full`) or `ANALYZE` (`vacuum == false`).
        case vacuum(full: Bool, vacuum: Bool)
        case cluster
        case truncate(cascade: Bool)
        /// `LOCK TABLE … IN mode MODE` (Postgres's lock mode number, 1 to 8).
        case lock(mode: Int)

        /// Postgres refuses it inside a transaction block: `REINDEX … CONCURRENTLY`, `REINDEX
        /// SCHEMA|DATABASE|SYSTEM`, `VACUUM` (not `ANALYZE`).
        public func refusesTransactionBlock(concurrently: Bool) -> Bool {
            switch self {
            case .reindex(let target): concurrently || target == .database || target == .system || target == .schema
            case .vacuum(_, let vacuum): vacuum
            default: false
            }
        }

        public var nodeName: String {
            switch self {
            case .reindex: "ReindexStmt"
            case .refreshMaterializedView: "RefreshMatViewStmt"
            case .vacuum: "VacuumStmt"
            case .cluster: "ClusterStmt"
            case .truncate: "TruncateStmt"
            case .lock: "LockStmt"
            }
        }
    }

    public enum ReindexTarget: String, Sendable {
        case index, table, schema, database, system
    }

    public var kind: Kind
    /// The relations named (tables, or the index of `REINDEX INDEX`); empty for a whole
    /// database (`VACUUM FULL;`) or a schema.
    public var relations: [ObjectName]
    /// Where each relation is named (parallel to `relations`).
    public var relationOffsets: [Int] = []
    /// `REINDEX SCHEMA name` / `DATABASE name`.
    public var name: String?
    public var concurrently: Bool
    public var offset: Int
}
