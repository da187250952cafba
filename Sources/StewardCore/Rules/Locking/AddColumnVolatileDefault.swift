import StewardSQL

/// `ADD COLUMN` whose default forces a table rewrite.
public struct AddColumnVolatileDefault: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.addColumn]
    public let descriptor = RuleDescriptor(
        id: "add-column-volatile-default",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A column added to an existing table has a default that rewrites the table.",
        rationale: """
            Since Postgres 11 a constant or stable default (`now()`) is stored once, without touching the rows. A \
            volatile default (`gen_random_uuid()`, `random()`, `clock_timestamp()`, a serial's `nextval`) or an identity \
            column is computed per row: the table is rewritten under an ACCESS EXCLUSIVE lock. Before Postgres 11 \
            every default does that.
            """,
        remedy: "Add the column without a default (or with a constant one), set the default for new rows, and backfill in batches.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "ALTER TABLE codebases ADD COLUMN ↓token uuid DEFAULT gen_random_uuid();"),
            RuleExample(given: "CREATE TABLE codebases (name text);", "ALTER TABLE codebases ADD COLUMN ↓id bigserial;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int);", "ALTER TABLE t ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();"),
            RuleExample("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .addColumn(let column, _, let hasDefault, let volatile, _, let identity) = change.kind, !context.isNew(change) else { return nil }
        let cause: String
        if let volatile { cause = "its default calls \(volatile), which is volatile" }
        else if identity { cause = "an identity column fills every row" }
        else if hasDefault, context.settings.postgresVersion < 11 { cause = "Postgres \(context.settings.postgresVersion) writes every default into every row" }
        else { return nil }
        return lockFinding(change, "ADD COLUMN \(column)", lock: .accessExclusive, effect: "and rewrites the table: \(cause)", in: context)
    }
}
