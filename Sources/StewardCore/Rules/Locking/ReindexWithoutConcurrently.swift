import StewardSQL

/// `REINDEX` without `CONCURRENTLY` (Postgres 12+ has it).
public struct ReindexWithoutConcurrently: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.tableOperation]
    public let descriptor = RuleDescriptor(
        id: "reindex-without-concurrently",
        category: .locking,
        defaultSeverity: .warning,
        summary: "REINDEX without CONCURRENTLY on an existing table.",
        rationale: """
            REINDEX blocks writes to the table (a SHARE lock) while it rebuilds, and queries that would use the index \
            being rebuilt wait on its ACCESS EXCLUSIVE lock.
            """,
        remedy: "`REINDEX … CONCURRENTLY` (Postgres 12+, outside a transaction), or build a new index concurrently and drop the old one.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "REINDEX TABLE ↓codebases;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "REINDEX INDEX ↓codebases_pkey;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int PRIMARY KEY);", "REINDEX TABLE CONCURRENTLY t;"),
            RuleExample("CREATE TABLE t (id int PRIMARY KEY);\nREINDEX TABLE t;"),
        ],
        lock: TableLock.share.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .tableOperation(.reindex(let target), let concurrently) = change.kind, !concurrently, !context.isNew(change) else { return nil }
        let help = context.settings.postgresVersion < 12
            ? "Postgres \(context.settings.postgresVersion) has no REINDEX CONCURRENTLY: build a new index concurrently, then drop the old one" : nil
        if change.table == nil {
            return finding("REINDEX \(target.rawValue.uppercased()) \(change.object.name) rebuilds every index in it, blocking writes to each table in turn",
                           help: help, at: change.location)
        }
        return lockFinding(change, "REINDEX \(target.rawValue.uppercased())", lock: .share, effect: "while every index is rebuilt", in: context, help: help)
    }
}
