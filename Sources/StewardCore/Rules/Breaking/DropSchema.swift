import StewardSQL

/// `DROP SCHEMA` of a schema that existed before the migration.
public struct DropSchema: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.dropSchema]
    public let descriptor = RuleDescriptor(
        id: "drop-schema",
        category: .breaking,
        defaultSeverity: .error,
        summary: "A schema is dropped, with everything in it.",
        rationale: """
            With CASCADE every table, view, type and function of the schema goes, whoever owns them; in a \
            schema-per-service database it removes a whole service's data at once.
            """,
        remedy: "Drop the objects one by one in migrations their owners review, then the empty schema.",
        triggering: [
            RuleExample(given: "CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id bigint);", "↓DROP SCHEMA billing CASCADE;"),
            RuleExample(given: "CREATE SCHEMA scratch;", "↓DROP SCHEMA scratch;"),
        ],
        nonTriggering: [
            RuleExample("CREATE SCHEMA scratch;\nDROP SCHEMA scratch;"),
            RuleExample("DROP SCHEMA IF EXISTS never_created;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .dropSchema(let contents) = change.kind, !context.isNew(change) else { return nil }
        var message = "DROP SCHEMA \(change.object.name) removes the schema"
        if !contents.isEmpty { message += " and \(contents.count) objects in it: \(contents.prefix(5).joined(separator: ", "))\(contents.count > 5 ? ", …" : "")" }
        let owner = context.manifest?.owner(ofSchema: change.object.name)
        if let owner { message += " (schema of `\(owner)`)" }
        return finding(message, at: change.location, services: owner.map { [$0] } ?? [])
    }
}
