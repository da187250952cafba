import StewardSQL

/// `DROP INDEX` without `CONCURRENTLY` on an existing table.
public struct DropIndexWithoutConcurrently: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.dropIndex]
    public let descriptor = RuleDescriptor(
        id: "drop-index-without-concurrently",
        category: .locking,
        defaultSeverity: .warning,
        summary: "An index of an existing table is dropped without CONCURRENTLY.",
        rationale: """
            DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: it waits behind every running query on the table \
            and every later query waits behind it, reads included.
            """,
        remedy: "`DROP INDEX CONCURRENTLY` (outside a transaction), with a lock_timeout.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint, owner text);\nCREATE INDEX codebases_owner_idx ON codebases (owner);",
                        "↓DROP INDEX codebases_owner_idx;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint, owner text);\nCREATE INDEX codebases_owner_idx ON codebases (owner);",
                        "↓DROP INDEX IF EXISTS codebases_owner_idx;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, owner text);\nCREATE INDEX t_owner_idx ON t (owner);", "DROP INDEX CONCURRENTLY t_owner_idx;"),
            RuleExample("CREATE TABLE t (id int, owner text);\nCREATE INDEX t_owner_idx ON t (owner);\nDROP INDEX t_owner_idx;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .dropIndex(let concurrently) = change.kind, !concurrently, !context.isNew(change) else { return nil }
        return lockFinding(change, "DROP INDEX \(change.object.display)", lock: .accessExclusive, in: context)
    }
}
