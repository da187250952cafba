import StewardSQL

/// `ALTER TYPE … RENAME VALUE` on an enum that existed before the migration.
public struct RenameEnumValue: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.renameEnumValue]
    public let descriptor = RuleDescriptor(
        id: "rename-enum-value",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A label of an existing enum type is renamed.",
        rationale: """
            Stored rows change meaning silently, and every service that writes or compares the old label fails \
            ("invalid input value for enum"). Enum types are often shared by several services' tables.
            """,
        remedy: "Add the new label, move writers and rows over, and stop using the old one; never rename a label in place.",
        triggering: [
            RuleExample(given: "CREATE TYPE analysis_status AS ENUM ('queued', 'running', 'done');\nCREATE TABLE analyses (id bigint, status analysis_status);",
                        "↓ALTER TYPE analysis_status RENAME VALUE 'done' TO 'succeeded';"),
            RuleExample(given: "CREATE TYPE visibility AS ENUM ('public', 'private');", "↓ALTER TYPE visibility RENAME VALUE 'private' TO 'hidden';"),
        ],
        nonTriggering: [
            RuleExample("CREATE TYPE visibility AS ENUM ('public', 'privat');\nALTER TYPE visibility RENAME VALUE 'privat' TO 'private';"),
            RuleExample(given: "CREATE TYPE visibility AS ENUM ('public', 'private');", "ALTER TYPE visibility ADD VALUE 'internal';"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .renameEnumValue(let from, let to) = change.kind, !context.isNew(change) else { return nil }
        return breakingFinding(change, "RENAME VALUE '\(from)' TO '\(to)' of enum \(change.object.display): writers and comparisons using '\(from)' fail", in: context)
    }
}
