import StewardSQL

/// `VACUUM FULL` in a migration.
public struct VacuumFull: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.tableOperation]
    public let descriptor = RuleDescriptor(
        id: "vacuum-full",
        category: .locking,
        defaultSeverity: .warning,
        summary: "VACUUM FULL rewrites tables under an ACCESS EXCLUSIVE lock.",
        rationale: "VACUUM FULL copies the whole table: no service reads or writes it until the copy is done, and it needs the table's size again in free disk.",
        remedy: "Plain VACUUM (no exclusive lock) or pg_repack, run by an operator, not in a migration.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "VACUUM FULL ↓codebases;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "VACUUM (FULL, ANALYZE) ↓codebases;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int);", "VACUUM ANALYZE t;"),
            RuleExample(given: "CREATE TABLE t (id int);", "VACUUM (FULL false) t;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .tableOperation(.vacuum(full: true, _), _) = change.kind, !context.isNew(change) else { return nil }
        if change.table == nil {
            return finding("VACUUM FULL without a table rewrites every table of the database, each under an ACCESS EXCLUSIVE lock", at: change.location)
        }
        return lockFinding(change, "VACUUM FULL", lock: .accessExclusive, effect: "and rewrites the table", in: context)
    }
}
