import StewardSQL

public struct PreferJsonb: ColumnTypeRule {
    public let descriptor = RuleDescriptor(
        id: "prefer-jsonb",
        category: .types,
        defaultSeverity: .warning,
        summary: "A column is json: prefer jsonb.",
        rationale: "json keeps the raw text: it is reparsed on every access, cannot be indexed with GIN, and has no equality operator (DISTINCT, GROUP BY and UNION fail).",
        remedy: "Use `jsonb`.",
        triggering: [
            RuleExample("CREATE TABLE analyses (id bigint, ↓payload json);"),
            RuleExample(given: "CREATE TABLE analyses (id bigint);", "ALTER TABLE analyses ADD COLUMN ↓meta json NOT NULL DEFAULT '{}';"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, payload jsonb);"),
            RuleExample("CREATE TABLE t (id int, payload text);"),
        ])

    public init() {}

    public func considers(type: String, baseType: String) -> Bool { baseType == "json" }

    public func message(for column: Column, of table: Table, lookup: Void, in context: RuleContext) -> String? {
        return "column \(table.name.display).\(column.name) is \(column.type): prefer jsonb"
    }
}
