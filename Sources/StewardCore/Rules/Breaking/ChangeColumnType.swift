import StewardSQL

/// `ALTER COLUMN … TYPE` that is not a known-safe widening.
public struct ChangeColumnType: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.changeColumnType]
    public let descriptor = RuleDescriptor(
        id: "change-column-type",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A column's type changes to one that old readers or writers may not handle.",
        rationale: """
            A narrower or different type rejects values that writers still send, and readers decode the new type \
            differently (text to integer, timestamp to timestamptz). Widenings that keep every value \
            (`varchar(n)` to `varchar(m > n)` or `text`, `integer` to `bigint`) are not flagged; whether the table is \
            rewritten is alter-column-type-rewrite's concern.
            """,
        remedy: """
            Add a column of the new type, write both, backfill, move readers, then drop the old column.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, stars text);",
                        "ALTER TABLE ↓codebases ALTER COLUMN stars TYPE integer USING stars::integer;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, name varchar(200));",
                        "ALTER TABLE ↓codebases ALTER COLUMN name TYPE varchar(100);"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, name varchar(100));", "ALTER TABLE t ALTER COLUMN name TYPE varchar(200);"),
            RuleExample(given: "CREATE TABLE t (id integer, name varchar(100));", "ALTER TABLE t ALTER COLUMN id TYPE bigint;\nALTER TABLE t ALTER COLUMN name TYPE text;"),
            RuleExample("CREATE TABLE t (id int, stars text);\nALTER TABLE t ALTER COLUMN stars TYPE integer USING stars::integer;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .changeColumnType(let column, let from, let to, let rewrites) = change.kind, !context.isNew(change),
              !ColumnTypeChange(from: from, to: to).isWidening else { return nil }
        let rewrite = rewrites ? " (and rewrites the table)" : ""
        return breakingFinding(change, "ALTER COLUMN \(column) of \(change.object.display) TYPE \(from) → \(to)\(rewrite): readers and writers of the old type may fail", in: context)
    }
}
