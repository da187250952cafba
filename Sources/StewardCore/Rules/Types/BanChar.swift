import StewardSQL

public struct BanChar: ColumnTypeRule {
    public let descriptor = RuleDescriptor(
        id: "ban-char",
        category: .types,
        defaultSeverity: .warning,
        summary: "A column is char(n): blank-padded, rarely what anyone means.",
        rationale: "char(n) pads values with blanks and ignores trailing blanks in comparisons: services that read it get padded strings back.",
        remedy: "Use `text` (with a CHECK on the length if it matters).",
        triggering: [
            RuleExample("CREATE TABLE codebases (id bigint, ↓country char(2));"),
            RuleExample("CREATE TABLE codebases (id bigint, ↓code character(10));"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, country text CHECK (char_length(country) = 2));"),
            RuleExample("CREATE TABLE t (id int, code varchar);"),
        ])

    public init() {}

    public func considers(type: String, baseType: String) -> Bool { baseType == "character" }

    public func message(for column: Column, of table: Table, lookup: Void, in context: RuleContext) -> String? {
        return "column \(table.name.display).\(column.name) is \(column.type), which pads with blanks: prefer text"
    }
}
