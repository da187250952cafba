import StewardSQL

/// A table comment's `@owner` tag that names another service than ownership.yml does.
public struct OwnershipCommentMismatch: Rule {
    public let descriptor = RuleDescriptor(
        id: "ownership-comment-mismatch",
        category: .ownership,
        defaultSeverity: .warning,
        summary: "A table comment's `@owner` tag disagrees with ownership.yml.",
        rationale: """
            The `@owner <service>` tag in a table's comment shows the service boundary where people look at the \
            database (`\\d+` in psql, database IDEs, the catalog). A tag that names another service than the manifest \
            sends a question or an incident to the wrong team.
            """,
        remedy: "Run `steward annotate`: it writes a migration whose COMMENT ON statements fix the tag and keep the rest of the comment.",
        triggering: [
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                COMMENT ON TABLE ↓invoices IS 'Issued invoices. @owner identity';
                """, manifest: Self.manifest),
            RuleExample("""
                CREATE TABLE users (id bigint PRIMARY KEY);
                COMMENT ON TABLE ↓users IS '@owner accounts';
                """, manifest: Self.manifest),
        ],
        nonTriggering: [
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                COMMENT ON TABLE invoices IS 'Issued invoices.\n\n@owner billing';
                """, manifest: Self.manifest),
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                COMMENT ON TABLE invoices IS 'Issued invoices; mail owner@example.com for questions';
                """, manifest: Self.manifest),
        ])

    static let manifest = """
        version: 1
        services:
          identity: {owners: ["@acme/identity"], tables: [users]}
          billing: {owners: ["@acme/billing"], tables: [invoices]}

        """

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        return context.model.tables.values.compactMap { table in
            guard let comment = table.comment, let tagged = OwnershipComments.taggedService(in: comment), let owner = table.owner?.service,
                  tagged.service != owner else { return nil }
            let known = manifest.service(named: tagged.service) != nil
            let origin = table.commentOrigin ?? table.origin
            // COMMENT ON TABLE name: point at the table's name.
            var location = origin.fileLocation
            if table.commentOrigin != nil { location.column += "COMMENT ON TABLE ".count }
            return finding("the comment of \(table.name.display) says `\(OwnershipComments.tag) \(tagged.service)`, but ownership.yml gives it to `\(owner)`"
                           + (known ? "" : " (no service is called `\(tagged.service)`)"),
                           help: "run `steward annotate` to write a migration that fixes the tag (the rest of the comment is kept)",
                           at: location.with(length: table.name.name.count), services: known ? [owner, tagged.service] : [owner],
                           objects: [.relation(table.name)])
        }
    }
}
