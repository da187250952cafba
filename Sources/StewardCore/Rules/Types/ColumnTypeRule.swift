import StewardSQL

/// A rule about the types of the columns the migrations leave, flagged where each column got
/// its type (its definition, or the `ALTER COLUMN … TYPE` that set it).
public protocol ColumnTypeRule: Rule {
    /// What the rule looks up for every column, computed once per run (e.g. which columns
    /// own a sequence).
    associatedtype Lookup = Void
    func lookup(in context: RuleContext) -> Lookup
    /// Whether a column of this type (`type` as `format_type` prints it, `baseType` without
    /// modifiers and array brackets) may deserve a finding. Asked about every column before
    /// `message`, so it only compares the type.
    func considers(type: String, baseType: String) -> Bool
    /// The message when `column` of `table`, whose type the rule `considers`, deserves a finding.
    func message(for column: Column, of table: Table, lookup: Lookup, in context: RuleContext) -> String?
}

extension ColumnTypeRule where Lookup == Void {
    public func lookup(in context: RuleContext) {}
}

extension ColumnTypeRule {
    public func considers(type: String, baseType: String) -> Bool { true }
}

extension ColumnTypeRule {
    public func check(_ context: RuleContext) -> [Finding] {
        let lookup = lookup(in: context)
        var findings: [Finding] = []
        // Base types of the types with a modifier or brackets, worked out once each: a corpus
        // has few such types and tens of thousands of columns.
        var baseTypes: [String: String] = [:]
        let tables = context.model.tables
        // Through indices: a `for … in` over tables and columns copies each value (a retain
        // and a release of every string it holds), and seven rules visit all ~50k columns.
        for tableIndex in tables.indices {
            let table = tables.values[tableIndex]
            guard table.managedBy == nil, table.partitionOf == nil else { continue }
            let inherited = table.inheritsFrom.isEmpty ? [] : Set(table.inheritsFrom.flatMap { tables[$0]?.columns.map(\.name) ?? [] })
            for columnIndex in table.columns.indices where inherited.isEmpty || !inherited.contains(table.columns[columnIndex].name) {
                let type = table.columns[columnIndex].type
                let baseType = Column.isBaseType(type) ? type : baseTypes[type] ?? {
                    let base = Column.baseType(of: type)
                    baseTypes[type] = base
                    return base
                }()
                guard considers(type: type, baseType: baseType),
                      let message = message(for: table.columns[columnIndex], of: table, lookup: lookup, in: context) else { continue }
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
    static func baseType(of type: String) -> String {
        let scalar = type.utf8.last == UInt8(ascii: "]") && type.hasSuffix("[]") ? String(type.dropLast(2)) : type
        return scalar.utf8.contains(UInt8(ascii: "(")) ? ColumnTypeChange.Parts(scalar).base : scalar
    }

    /// Whether `type` is its own base type (no modifier, no brackets): most are.
    static func isBaseType(_ type: String) -> Bool {
        type.utf8.last != UInt8(ascii: "]") && !type.utf8.contains(UInt8(ascii: "("))
    }
}
