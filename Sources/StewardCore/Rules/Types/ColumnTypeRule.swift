import StewardSQL

/// A rule about the types of the columns the migrations leave, flagged where each column got
/// its type (its definition, or the `ALTER COLUMN … TYPE` that set it).
public protocol ColumnTypeRule: Rule {
    /// What the rule looks up for every column, computed once per run (e.g. which columns
    /// own a sequence).
    associatedtype Lookup = Void
    func lookup(in context: RuleContext) -> Lookup
    /// The message when `column` of `table` deserves a finding.
    func message(for column: Column, of table: Table, lookup: Lookup, in context: RuleContext) -> String?
}

extension ColumnTypeRule where Lookup == Void {
    public func lookup(in context: RuleContext) {}
}

extension ColumnTypeRule {
    public func check(_ context: RuleContext) -> [Finding] {
        let lookup = lookup(in: context)
        var findings: [Finding] = []
        let tables = context.model.tables
        // Through indices: a `for … in` over tables and columns copies each value (a retain
        // and a release of every string it holds), and seven rules visit all ~50k columns.
        for tableIndex in tables.indices {
            let table = tables.values[tableIndex]
            guard table.managedBy == nil, table.partitionOf == nil else { continue }
            let inherited = table.inheritsFrom.isEmpty ? [] : Set(table.inheritsFrom.flatMap { tables[$0]?.columns.map(\.name) ?? [] })
            for columnIndex in table.columns.indices where inherited.isEmpty || !inherited.contains(table.columns[columnIndex].name) {
                guard let message = message(for: table.columns[columnIndex], of: table, lookup: lookup, in: context) else { continue }
                let column = table.columns[columnIndex]
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
