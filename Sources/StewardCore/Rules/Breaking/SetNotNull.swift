import StewardSQL

/// `ALTER COLUMN … SET NOT NULL` on a column of an existing table.
public struct SetNotNull: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.setNotNull]
    public let descriptor = RuleDescriptor(
        id: "set-not-null",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A nullable column of an existing table becomes NOT NULL.",
        rationale: """
            Writers that still insert or update NULL (an older deploy, another service) start failing, and the \
            migration itself fails if a NULL is left. The lock it takes is set-not-null-without-validated-check's concern.
            """,
        remedy: "Make every writer send a value first, backfill the NULLs, then set NOT NULL.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, owner_id bigint);",
                        "ALTER TABLE ↓codebases ALTER COLUMN owner_id SET NOT NULL;"),
            RuleExample(given: ExampleManifests.codebasesWithBookmarks, "ALTER TABLE ↓codebases ALTER COLUMN last_viewed_at SET NOT NULL;",
                        manifest: ExampleManifests.analyzerAndWeb),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, owner_id bigint);\nALTER TABLE t ALTER COLUMN owner_id SET NOT NULL;"),
            RuleExample(given: "CREATE TABLE t (id int NOT NULL);", "ALTER TABLE t ALTER COLUMN id SET NOT NULL;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .setNotNull(let column, _) = change.kind, !context.isNew(change) else { return nil }
        return breakingFinding(change, "SET NOT NULL on \(change.object.display).\(column): writers that still send NULL fail", in: context)
    }
}
