import StewardSQL

/// A rule about the types of the columns the migrations leave, flagged where each column got
/// its type (its definition, or the `ALTER COLUMN … TYPE` that set it).
public protocol ColumnTypeRule: Rule {
    /// The message when `column` of `table` deserves a finding.
    func message(for column: Column, of table: Table, in context: RuleContext) -> String?
}

extension ColumnTypeRule {
    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for table in context.model.tables.values where table.managedBy == nil && table.partitionOf == nil {
            let inherited = Set(table.inheritsFrom.flatMap { context.model.tables[$0]?.columns.map(\.name) ?? [] })
            for column in table.columns where !inherited.contains(column.name) {
                guard let message = message(for: column, of: table, in: context) else { continue }
                let origin = column.typeOrigin ?? column.origin
                findings.append(finding(message, at: origin.fileLocation.with(length: column.typeOrigin == nil ? column.name.count : 1),
                                        services: context.owner(of: table.name).map { [$0] } ?? []))
            }
        }
        return findings
    }
}

extension Column {
    /// The type without modifiers and array brackets: `timestamp without time zone` for
    /// `timestamp(3) without time zone[]`.
    var baseType: String { ColumnTypeChange.Parts(type.hasSuffix("[]") ? String(type.dropLast(2)) : type).base }
}
