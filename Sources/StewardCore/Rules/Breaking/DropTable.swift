import StewardSQL

/// `DROP TABLE` of a table that existed before the migration.
public struct DropTable: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.dropTable]
    public let descriptor = RuleDescriptor(
        id: "drop-table",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A table that existed is dropped.",
        rationale: """
            Every query that still reads or writes the table fails the moment the migration runs, and its data is \
            gone. In a shared database the owner cannot see the other services' queries: a table another service \
            depends on (a foreign key, a view, a grant to its role) makes the drop an error.
            """,
        remedy: """
            Expand and contract: first deploy code that no longer uses the table (in every service), then drop it in a \
            later migration. Drop or move the dependent foreign keys and views of other services first, with their owners.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "↓DROP TABLE codebases;"),
            RuleExample(given: ExampleManifests.codebasesWithBookmarks, "↓DROP TABLE codebases CASCADE;", manifest: ExampleManifests.analyzerAndWeb),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE scratch (id int);\nDROP TABLE scratch;"),
            RuleExample("DROP TABLE IF EXISTS never_created;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .dropTable(let cascaded) = change.kind, !context.isNew(change) else { return nil }
        var message = "DROP TABLE \(change.object.display) removes a table and its data; every query using it fails"
        if !cascaded.isEmpty { message += "; CASCADE also drops \(cascaded.joined(separator: ", "))" }
        return breakingFinding(change, message, in: context)
    }
}
