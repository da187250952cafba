import StewardSQL

public struct PreferTextOverVarchar: ColumnTypeRule {
    public let descriptor = RuleDescriptor(
        id: "prefer-text-over-varchar",
        category: .types,
        defaultSeverity: .warning,
        summary: "A column is varchar(n): prefer text, with a CHECK if a limit matters.",
        rationale: """
            In Postgres varchar(n) is text plus a length check that is part of the type: lowering the limit rewrites \
            the table, and every service's validation has to agree with a number buried in the schema.
            """,
        remedy: "Use `text`, and `CHECK (char_length(col) <= n)` (added NOT VALID, then validated) when a limit is a rule of the domain.",
        triggering: [
            RuleExample("CREATE TABLE codebases (id bigint, ↓name varchar(200));"),
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "ALTER TABLE codebases ADD COLUMN ↓slug character varying(64);"),
            // Flagged once, where it is defined: not again on the partition or the inheriting table.
            RuleExample("""
                CREATE TABLE events (id bigint, ↓kind varchar(20)) PARTITION BY RANGE (id);
                CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM (0) TO (100);
                CREATE TABLE notes (id bigint, ↓body varchar(500));
                CREATE TABLE pinned_notes (pinned_at timestamptz) INHERITS (notes);
                """),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, name text);"),
            RuleExample("CREATE TABLE t (id int, name varchar);"),
        ])

    public init() {}

    /// `character varying(n)`: the limit is what the rule is about (plain varchar is text).
    public func considers(type: String, baseType: String) -> Bool {
        baseType == "character varying" && type.utf8.contains(UInt8(ascii: "("))
    }

    public func message(for column: Column, of table: Table, lookup: Void, in context: RuleContext) -> String? {
        return "column \(table.name.display).\(column.name) is \(column.type): prefer text (and a CHECK constraint if the limit matters)"
    }
}
