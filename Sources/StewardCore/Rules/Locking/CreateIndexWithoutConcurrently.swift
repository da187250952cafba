import StewardSQL

/// `CREATE INDEX` without `CONCURRENTLY` on a table that already holds data.
public struct CreateIndexWithoutConcurrently: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.createIndex]
    public let descriptor = RuleDescriptor(
        id: "create-index-without-concurrently",
        category: .locking,
        defaultSeverity: .warning,
        summary: "An index is built on an existing table without CONCURRENTLY.",
        rationale: """
            The build holds a SHARE lock for as long as it reads the whole table: every INSERT, UPDATE and DELETE \
            of every service waits, for minutes on a large table.
            """,
        remedy: """
            `CREATE INDEX CONCURRENTLY` (outside a transaction: see concurrently-in-transaction for your tool's opt-out). \
            An index on a table created in the same migration needs nothing.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, owner text);", "↓CREATE INDEX codebases_owner_idx ON codebases (owner);"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, owner text);", "↓CREATE UNIQUE INDEX ON codebases (lower(owner));"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, owner text);", "CREATE INDEX CONCURRENTLY t_owner_idx ON t (owner);"),
            RuleExample("CREATE TABLE t (id int, owner text);\nCREATE INDEX t_owner_idx ON t (owner);"),
        ],
        lock: TableLock.share.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .createIndex(let name, _, let concurrently) = change.kind, !concurrently, !context.isNew(change) else { return nil }
        return lockFinding(change, "CREATE INDEX \(name)", lock: .share, effect: "while it reads the whole table", in: context)
    }
}
