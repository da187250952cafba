import StewardSQL

/// `SET NOT NULL` that has to scan the table.
public struct SetNotNullWithoutValidatedCheck: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.setNotNull]
    public let descriptor = RuleDescriptor(
        id: "set-not-null-without-validated-check",
        category: .locking,
        defaultSeverity: .warning,
        summary: "SET NOT NULL scans an existing table under an ACCESS EXCLUSIVE lock.",
        rationale: """
            Postgres checks every row for NULL while holding an ACCESS EXCLUSIVE lock. From Postgres 12 it skips the \
            scan when a validated `CHECK (column IS NOT NULL)` already proves it.
            """,
        remedy: """
            `ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID`, then `VALIDATE CONSTRAINT c` (reads and writes \
            continue), then `SET NOT NULL` (no scan), then drop the check.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint, owner_id bigint);", "ALTER TABLE ↓codebases ALTER COLUMN owner_id SET NOT NULL;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint, owner_id bigint);\nALTER TABLE codebases ADD CONSTRAINT owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;",
                        "ALTER TABLE ↓codebases ALTER COLUMN owner_id SET NOT NULL;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, owner_id bigint);\nALTER TABLE t ADD CONSTRAINT owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;",
                        "ALTER TABLE t VALIDATE CONSTRAINT owner_nn;\nALTER TABLE t ALTER COLUMN owner_id SET NOT NULL;"),
            RuleExample("CREATE TABLE t (id int, owner_id bigint);\nALTER TABLE t ALTER COLUMN owner_id SET NOT NULL;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .setNotNull(let column, let checked) = change.kind, !context.isNew(change) else { return nil }
        if checked, context.settings.postgresVersion >= 12 { return nil }
        return lockFinding(change, "SET NOT NULL on \(column)", lock: .accessExclusive, effect: "while every row is checked", in: context)
    }
}
