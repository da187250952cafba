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
            let inherited = table.inheritsFrom.isEmpty ? [] : Set(table.inheritsFrom.flatMap { context.model.tables[$0]?.columns.map(\.name) ?? [] })
            for column in table.columns where !inherited.contains(column.name) {
                guard let message = message(for: column, of: table, in: context) else { continue }
                let origin = column.typeOrigin ?? column.origin
                findings.append(finding(message, at: origin.fileLocation.with(length: column.typeOrigin == nil ? column.name.count : 1),
                                        services: context.owner(of: table.name).map { [$0] } ?? [],
                                        objects: [.relation(table.name, kind: .column, column: column.name)]))
            }
        }
        return findings
    }
}

extension Column {
    /// The type without modifiers and array brackets: `timestamp without time zone` for
    /// `timestamp(3) without time zone[]`.
    var baseType: String {
        let scalar = type.hasSuffix("[]") ? String(type.dropLast(2)) : type
        // Most types have no modifier: no need to split them (seven rules ask for every column).
        return scalar.utf8.contains(UInt8(ascii: "(")) ? ColumnTypeChange.Parts(scalar).base : scalar
    }
}
