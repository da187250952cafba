import StewardSQL

public struct BanMoney: ColumnTypeRule {
    public let descriptor = RuleDescriptor(
        id: "ban-money",
        category: .types,
        defaultSeverity: .warning,
        summary: "A column is money: its meaning depends on lc_monetary.",
        rationale: "money's currency and scale come from each session's lc_monetary setting: two services with different locales read different amounts.",
        remedy: "Use `numeric(p, s)` (or an integer of minor units) and a currency column.",
        triggering: [
            RuleExample("CREATE TABLE invoices (id bigint, ↓total money);"),
            RuleExample(given: "CREATE TABLE invoices (id bigint);", "ALTER TABLE invoices ADD COLUMN ↓tax money;"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int, total numeric(12, 2));"),
            RuleExample("CREATE TABLE t (id int, total_cents bigint);"),
        ])

    public init() {}

    public func considers(type: String, baseType: String) -> Bool { baseType == "money" }

    public func message(for column: Column, of table: Table, lookup: Void, in context: RuleContext) -> String? {
        return "column \(table.name.display).\(column.name) is money, whose meaning depends on each session's lc_monetary: prefer numeric"
    }
}
