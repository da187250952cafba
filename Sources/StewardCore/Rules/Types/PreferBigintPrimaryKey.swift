import StewardSQL

public struct PreferBigintPrimaryKey: ColumnTypeRule {
    public let descriptor = RuleDescriptor(
        id: "prefer-bigint-primary-key",
        category: .types,
        defaultSeverity: .warning,
        summary: "A primary key column is integer or smallint: prefer bigint.",
        rationale: """
            An integer key runs out at 2,147,483,647, and widening it later rewrites the table and every table whose \
            foreign keys reference it, usually other services' tables, under ACCESS EXCLUSIVE locks.
            """,
        remedy: "Use `bigint` (`bigint GENERATED ALWAYS AS IDENTITY`) for surrogate keys from the start.",
        triggering: [
            RuleExample("CREATE TABLE codebases (↓id integer PRIMARY KEY, name text);"),
            RuleExample("CREATE TABLE codebases (↓id serial, name text, PRIMARY KEY (id));"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"),
            RuleExample("CREATE TABLE t (id uuid PRIMARY KEY, n integer);"),
        ])

    public init() {}

    public func considers(type: String, baseType: String) -> Bool { type == "integer" || type == "smallint" }

    public func message(for column: Column, of table: Table, lookup: Void, in context: RuleContext) -> String? {
        guard let key = table.constraints.first(where: { $0.kind == .primaryKey }), key.columns == [column.name] else { return nil }
        return "primary key \(table.name.display).\(column.name) is \(column.type): prefer bigint (widening it later rewrites every referencing table)"
    }
}
