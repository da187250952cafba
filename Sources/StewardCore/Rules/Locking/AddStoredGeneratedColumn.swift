import StewardSQL

/// `ADD COLUMN … GENERATED ALWAYS AS (…) STORED` on an existing table.
public struct AddStoredGeneratedColumn: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.addColumn]
    public let descriptor = RuleDescriptor(
        id: "add-stored-generated-column",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A stored generated column is added to an existing table.",
        rationale: "Every row's value is computed and written at once: the table is rewritten under an ACCESS EXCLUSIVE lock.",
        remedy: "Add a plain column, fill it in batches (and keep it current with a trigger), or compute the value in a view or at read time.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint, name text);",
                        "ALTER TABLE codebases ADD COLUMN ↓name_lower text GENERATED ALWAYS AS (lower(name)) STORED;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint, stars int);",
                        "ALTER TABLE codebases ADD ↓popular boolean GENERATED ALWAYS AS (stars > 100) STORED;"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, name text);\nALTER TABLE t ADD COLUMN name_lower text GENERATED ALWAYS AS (lower(name)) STORED;"),
            RuleExample(given: "CREATE TABLE t (id int, name text);", "ALTER TABLE t ADD COLUMN name_lower text;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .addColumn(let column, _, _, _, let generated, _) = change.kind, generated, !context.isNew(change) else { return nil }
        return lockFinding(change, "ADD COLUMN \(column) GENERATED … STORED", lock: .accessExclusive, effect: "and rewrites the table", in: context)
    }
}
