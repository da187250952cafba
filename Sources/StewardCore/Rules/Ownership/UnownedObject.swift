import StewardSQL

/// A table or view that no service claims in the manifest.
public struct UnownedObject: Rule {
    public let descriptor = RuleDescriptor(
        id: "unowned-object",
        category: .ownership,
        defaultSeverity: .error,
        summary: "A table or view is not claimed by any service.",
        rationale: """
            In a shared database every object needs one owning team: the one that reviews its migrations, \
            answers for its data and decides when it can change. An unclaimed table is changed by whoever \
            touches it last and silently becomes shared by everyone.
            """,
        remedy: "Add the table to one service's `tables:` in ownership.yml (or put it in a schema the service claims).",
        triggering: [
            RuleExample("CREATE TABLE ↓audit_log (id bigint PRIMARY KEY);", manifest: CrossServiceForeignKey.twoServices),
            RuleExample("CREATE VIEW ↓active_users AS SELECT 1 AS one;", manifest: CrossServiceForeignKey.twoServices),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE users (id bigint PRIMARY KEY);", manifest: CrossServiceForeignKey.twoServices),
            RuleExample("CREATE SCHEMA billing; CREATE TABLE billing.ledger (id bigint);", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], schemas: [billing]}
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard context.manifest != nil else { return [] }
        // Only the (few) unowned objects are sorted; the report sorts findings again anyway.
        let unownedTables = context.model.tables.values.filter { $0.owner == nil && $0.partitionOf == nil && $0.managedBy == nil }
        let tables = unownedTables.sorted { $0.name < $1.name }.map { table in
            finding("table \(table.name) is not owned by any service", at: table.origin.fileLocation.with(length: table.name.name.count),
                    objects: [.relation(table.name)])
        }
        let views = context.model.views.values.filter { $0.owner == nil }.sorted { $0.name < $1.name }.map { view in
            finding("\(view.materialized ? "materialized view" : "view") \(view.name) is not owned by any service",
                    at: view.origin.fileLocation.with(length: view.name.name.count), objects: [.relation(view.name, kind: .view)])
        }
        return tables + views
    }
}
