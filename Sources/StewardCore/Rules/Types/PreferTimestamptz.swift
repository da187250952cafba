import StewardSQL

public struct PreferTimestamptz: ColumnTypeRule {
    public let descriptor = RuleDescriptor(
        id: "prefer-timestamptz",
        category: .types,
        defaultSeverity: .warning,
        summary: "A column is timestamp without time zone: prefer timestamptz.",
        rationale: """
            A timestamp without time zone means whatever time zone each writer assumed: services in different zones \
            (or with different TimeZone settings) store and compare different instants in one column.
            """,
        remedy: "Use `timestamptz` (`timestamp with time zone`): it stores an instant and converts on input and output.",
        triggering: [
            RuleExample("CREATE TABLE analyses (id bigint, ↓created_at timestamp NOT NULL DEFAULT now());"),
            RuleExample("CREATE TABLE analyses (id bigint, ↓finished_at timestamp(3) without time zone);"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, created_at timestamptz);"),
            RuleExample("CREATE TABLE t (id int, day date, at time);"),
        ])

    public init() {}

    public func considers(type: String, baseType: String) -> Bool { baseType == "timestamp without time zone" }

    public func message(for column: Column, of table: Table, lookup: Void, in context: RuleContext) -> String? {
        return "column \(table.name.display).\(column.name) is \(column.type): prefer timestamptz"
    }
}
