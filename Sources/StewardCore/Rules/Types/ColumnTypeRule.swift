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
        let tables = context.model.tables
        // Only the columns of the types the rule considers (the groups are shared by the rules).
        let groups = context.columnTypeGroups
        for group in groups.groups where considers(type: group.type, baseType: group.baseType) {
            for position in group.columns {
                let table = groups.tables[Int(position.table)], columnIndex = Int(position.column)
                // Read in place: a copy of the table or the column would retain every string it holds.
                guard let message = message(for: tables.values[table].columns[columnIndex], of: tables.values[table],
                                             lookup: lookup, in: context) else { continue }
                let column = tables.values[table].columns[columnIndex]
                let name = tables.values[table].name
                let origin = column.typeOrigin ?? column.origin
                findings.append(finding(message, at: origin.fileLocation.with(length: column.typeOrigin == nil ? column.name.count : 1),
                                        services: context.owner(of: name).map { [$0] } ?? [],
                                        objects: [.relation(name, kind: .column, column: column.name)]))
            }
        }
        return findings
    }
}

/// The columns the type rules look at (of tables no tool manages, not partitions, without the
/// columns a table inherits), grouped by type: seven rules each visiting every column of a
/// large model (~50k at 100k statements) was most of what they cost; with the groups each
/// reads only the columns of the types it considers.
struct ColumnTypeGroups: Sendable {
    struct Group: Sendable {
        /// As `format_type` prints it.
        var type: String
        /// Without modifiers and array brackets.
        var baseType: String
        /// Each column's table (its place in `tables`) and its place among the table's columns:
        /// 8 bytes a column, held while the rules that read the model run.
        var columns: [(table: UInt32, column: UInt32)]
    }

    /// In order of each type's first column.
    var groups: [Group] = []
    /// Positions in `model.tables` of the tables with grouped columns.
    var tables: [Dictionary<ObjectName, Table>.Index] = []

    init(_ model: SchemaModel) {
        var groupOfType: [String: Int] = [:]
        let tables = model.tables
        for tableIndex in tables.indices {
            let table = tables.values[tableIndex]
            guard table.managedBy == nil, table.partitionOf == nil, !table.columns.isEmpty else { continue }
            let tableNumber = UInt32(self.tables.count)
            self.tables.append(tableIndex)
            let inherited = table.inheritsFrom.isEmpty ? [] : Set(table.inheritsFrom.flatMap { tables[$0]?.columns.map(\.name) ?? [] })
            for columnIndex in table.columns.indices where inherited.isEmpty || !inherited.contains(table.columns[columnIndex].name) {
                let type = table.columns[columnIndex].type
                let group = groupOfType[type] ?? {
                    groups.append(Group(type: type, baseType: Column.isBaseType(type) ? type : Column.baseType(of: type), columns: []))
                    groupOfType[type] = groups.count - 1
                    return groups.count - 1
                }()
                groups[group].columns.append((tableNumber, UInt32(columnIndex)))
            }
        }
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
