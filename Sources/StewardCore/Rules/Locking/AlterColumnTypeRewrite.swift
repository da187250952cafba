import StewardSQL

/// `ALTER COLUMN … TYPE` that rewrites the table.
public struct AlterColumnTypeRewrite: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.changeColumnType]
    public let descriptor = RuleDescriptor(
        id: "alter-column-type-rewrite",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A column type change rewrites an existing table and its indexes.",
        rationale: """
            Unless the conversion is binary-coercible (`varchar(n)` to `text` or a longer `varchar`), Postgres \
            rewrites the whole table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: nobody reads or writes it \
            until it is done.
            """,
        remedy: "Add a column of the new type, backfill it in batches, switch readers and writers, then drop the old column.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id integer PRIMARY KEY);", "ALTER TABLE ↓codebases ALTER COLUMN id TYPE bigint;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint, stars text);", "ALTER TABLE ↓codebases ALTER COLUMN stars TYPE integer USING stars::integer;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, name varchar(50));", "ALTER TABLE t ALTER COLUMN name TYPE text;"),
            RuleExample(given: "CREATE TABLE t (id int, name varchar(50));", "ALTER TABLE t ALTER COLUMN name TYPE varchar(100);"),
            RuleExample("CREATE TABLE t (id integer);\nALTER TABLE t ALTER COLUMN id TYPE bigint;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .changeColumnType(let column, let from, let to, let rewrites) = change.kind, rewrites, !context.isNew(change) else { return nil }
        return lockFinding(change, "ALTER COLUMN \(column) TYPE \(from) → \(to)", lock: .accessExclusive,
                           effect: "and rewrites the table and its indexes", in: context)
    }
}
