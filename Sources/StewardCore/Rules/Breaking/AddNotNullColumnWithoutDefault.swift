import StewardSQL

/// `ADD COLUMN … NOT NULL` without a default, on a table that existed before the migration.
public struct AddNotNullColumnWithoutDefault: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.addColumn]
    public let descriptor = RuleDescriptor(
        id: "add-not-null-column-without-default",
        category: .breaking,
        defaultSeverity: .error,
        summary: "A NOT NULL column without a default is added to an existing table.",
        rationale: """
            Postgres refuses it as soon as the table holds a row ("column contains null values"), and once it exists \
            every INSERT of a service that does not know the column yet fails.
            """,
        remedy: """
            Add the column with a DEFAULT (Postgres 11+ stores a constant default without rewriting the table), or add \
            it nullable, backfill, and SET NOT NULL later (see set-not-null-without-validated-check).
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "ALTER TABLE codebases ADD COLUMN ↓owner_id bigint NOT NULL;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "ALTER TABLE codebases ADD ↓kind text NOT NULL, ADD note text;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int);", "ALTER TABLE t ADD COLUMN kind text NOT NULL DEFAULT 'repo';"),
            RuleExample("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN owner_id bigint NOT NULL;"),
            RuleExample(given: "CREATE TABLE t (id int);", "ALTER TABLE t ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .addColumn(let column, let notNull, let hasDefault, _, let generated, let identity) = change.kind,
              notNull, !hasDefault, !generated, !identity, !context.isNew(change) else { return nil }
        return breakingFinding(change, "ADD COLUMN \(column) to \(change.object.display) is NOT NULL without a default: Postgres refuses it once the table has rows, and INSERTs that omit it fail", in: context)
    }
}
