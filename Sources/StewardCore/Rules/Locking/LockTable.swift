import StewardSQL

/// An explicit `LOCK TABLE` in a migration.
public struct LockTable: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.tableOperation]
    public let descriptor = RuleDescriptor(
        id: "lock-table",
        category: .locking,
        defaultSeverity: .warning,
        summary: "An explicit LOCK TABLE in a migration.",
        rationale: """
            The lock (ACCESS EXCLUSIVE unless a mode is given) is held until the transaction ends, so everything after \
            it in the migration runs while other services wait.
            """,
        remedy: "Rely on the locks statements take themselves, keep the transaction short, and set lock_timeout.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "BEGIN;\nLOCK TABLE ↓codebases;\nCOMMIT;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "BEGIN;\nLOCK ↓codebases IN SHARE MODE;\nCOMMIT;"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int);\nBEGIN;\nLOCK TABLE t;\nCOMMIT;"),
            RuleExample(given: "CREATE TABLE t (id int);", "BEGIN;\nLOCK TABLE t IN ACCESS SHARE MODE;\nCOMMIT;"),
        ],
        lock: "as requested; ACCESS EXCLUSIVE (blocks reads and writes) by default")

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .tableOperation(.lock(let mode), _) = change.kind, let lock = TableLock(mode: mode), !context.isNew(change) else { return nil }
        return lockFinding(change, "LOCK TABLE", lock: lock, effect: "until the transaction ends", in: context)
    }
}
