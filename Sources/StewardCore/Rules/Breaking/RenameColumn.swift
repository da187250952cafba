import StewardSQL

/// `ALTER TABLE … RENAME COLUMN` on a table that existed before the migration.
public struct RenameColumn: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.renameColumn]
    public let descriptor = RuleDescriptor(
        id: "rename-column",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A column of an existing table is renamed.",
        rationale: """
            Every query naming the column fails between the migration and the deploy of each service that uses it, \
            and ORMs that map columns by name break at once.
            """,
        remedy: """
            Add the new column, write both, backfill, move readers over, then drop the old column (or keep the old \
            name and rename only in code).
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, name text);",
                        "↓ALTER TABLE codebases RENAME COLUMN name TO full_name;"),
            RuleExample(given: ExampleManifests.codebasesWithBookmarks, "↓ALTER TABLE codebases RENAME COLUMN id TO codebase_id;",
                        manifest: ExampleManifests.analyzerAndWeb),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, nme text);\nALTER TABLE t RENAME COLUMN nme TO name;"),
            RuleExample(given: "CREATE TABLE t (id int);", "ALTER TABLE t RENAME TO t2;\nALTER TABLE t2 RENAME TO t;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .renameColumn(let old, let new) = change.kind, !context.isNew(change) else { return nil }
        return breakingFinding(change, "RENAME COLUMN \(old) TO \(new) on \(change.object.display): queries naming \(old) fail", in: context)
    }
}
