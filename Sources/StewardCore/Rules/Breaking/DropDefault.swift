import StewardSQL

/// `ALTER COLUMN … DROP DEFAULT` on a column of an existing table.
public struct DropDefault: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.dropDefault]
    public let descriptor = RuleDescriptor(
        id: "drop-default",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A column of an existing table loses its default.",
        rationale: """
            INSERTs that omit the column relied on the default: they now store NULL, or fail on a NOT NULL column. \
            Writers in other services rarely know a default was part of the contract.
            """,
        remedy: "Make every writer send the value explicitly first, then drop the default.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());",
                        "ALTER TABLE ↓codebases ALTER COLUMN created_at DROP DEFAULT;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, visibility text DEFAULT 'public');",
                        "ALTER TABLE ↓codebases ALTER visibility DROP DEFAULT;"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, c int DEFAULT 1);\nALTER TABLE t ALTER COLUMN c DROP DEFAULT;"),
            RuleExample(given: "CREATE TABLE t (id int, c int);", "ALTER TABLE t ALTER COLUMN c DROP DEFAULT;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .dropDefault(let column) = change.kind, !context.isNew(change) else { return nil }
        return breakingFinding(change, "DROP DEFAULT on \(change.object.display).\(column): INSERTs that omit the column now store NULL or fail", in: context)
    }
}
