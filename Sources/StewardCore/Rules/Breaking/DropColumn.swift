import StewardSQL

/// `ALTER TABLE … DROP COLUMN` of a column that existed before the migration.
public struct DropColumn: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.dropColumn]
    public let descriptor = RuleDescriptor(
        id: "drop-column",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A column that existed is dropped.",
        rationale: """
            Queries that name the column fail, and `SELECT *` readers and ORMs mapping every column break on deploy. \
            A column used by another service (its foreign key, its view, a grant to its role) makes the drop an error.
            """,
        remedy: """
            Expand and contract: stop reading and writing the column in every service (ignore it in the ORM), deploy, \
            then drop it in a later migration.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, last_viewed_at timestamptz);",
                        "ALTER TABLE ↓codebases DROP COLUMN last_viewed_at;"),
            RuleExample(given: ExampleManifests.codebasesWithBookmarks + "\nCREATE VIEW recent AS SELECT id FROM codebases;",
                        "ALTER TABLE ↓codebases DROP COLUMN name;", manifest: ExampleManifests.analyzerAndWeb),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, scratch int);\nALTER TABLE t DROP COLUMN scratch;"),
            RuleExample(given: "CREATE TABLE t (id int);", "ALTER TABLE t DROP COLUMN IF EXISTS never_added;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .dropColumn(let column, let cascaded) = change.kind, !context.isNew(change) else { return nil }
        var message = "DROP COLUMN \(column) of \(change.object.display) removes a column and its data; queries naming it fail"
        if !cascaded.isEmpty { message += "; CASCADE also drops \(cascaded.joined(separator: ", "))" }
        return breakingFinding(change, message, in: context)
    }
}
