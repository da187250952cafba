import StewardSQL

/// `TRUNCATE` of an existing table in a migration.
public struct Truncate: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.tableOperation]
    public let descriptor = RuleDescriptor(
        id: "truncate",
        category: .locking,
        defaultSeverity: .warning,
        summary: "TRUNCATE of an existing table: an ACCESS EXCLUSIVE lock, and the data is gone.",
        rationale: """
            TRUNCATE waits for every query on the table and blocks all later ones, then deletes every row at once (with \
            CASCADE, also the rows of tables referencing it, possibly another service's).
            """,
        remedy: "Delete in batches if the data must go, and never in a schema migration another service's code depends on.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "TRUNCATE ↓codebases;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint);\nCREATE TABLE analyses (id bigint);", "TRUNCATE TABLE ↓codebases, ↓analyses CASCADE;"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int);\nTRUNCATE t;"),
            RuleExample(given: "CREATE TABLE t (id int);", "DELETE FROM t WHERE id < 0;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .tableOperation(.truncate(let cascade), _) = change.kind, !context.isNew(change) else { return nil }
        return lockFinding(change, "TRUNCATE\(cascade ? " … CASCADE" : "")", lock: .accessExclusive, effect: "and deletes every row", in: context)
    }
}
