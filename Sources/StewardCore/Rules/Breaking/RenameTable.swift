import StewardSQL

/// `ALTER TABLE … RENAME TO` of a table that existed before the migration.
public struct RenameTable: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.renameTable]
    public let descriptor = RuleDescriptor(
        id: "rename-table",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A table that existed is renamed.",
        rationale: """
            Code deployed before the migration still uses the old name and fails until every service is redeployed; \
            services that are not redeployed at all fail for good. Postgres follows the rename in foreign keys and \
            views, so the schema stays consistent while the queries break.
            """,
        remedy: """
            Create the new table (or a view with the new name), migrate readers and writers service by service, and \
            drop the old name last. Update ownership.yml with the new name.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "↓ALTER TABLE codebases RENAME TO repositories;"),
            RuleExample(given: ExampleManifests.codebasesWithBookmarks, "↓ALTER TABLE codebases RENAME TO repositories;",
                        manifest: ExampleManifests.analyzerAndWeb),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE draft (id int);\nALTER TABLE draft RENAME TO final;"),
            RuleExample(given: "CREATE TABLE t (id int);", "ALTER TABLE IF EXISTS never_created RENAME TO other;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .renameTable(let new) = change.kind, !context.isNew(change) else { return nil }
        return breakingFinding(change, "RENAME \(change.object.display) TO \(new.name): queries using the old name fail", in: context)
    }
}
