import StewardSQL

/// What a change does to the schema, object by object: two replayed models compared (the
/// base of a pull request and its head), for `steward review`.
public struct SchemaDiff: Sendable {
    public struct Entry: Sendable, Hashable, Comparable {
        public enum Change: String, Sendable, Hashable {
            case added = "+", dropped = "-", changed = "~"
        }

        public var change: Change
        /// `table billing.invoices`, `column billing.invoices.total`, `index invoices_total_idx on billing.invoices`…
        public var object: String
        /// For a change: `numeric → bigint`, `NULL → NOT NULL`, `default 0 → none`.
        public var detail: String?
        /// The relation the object belongs to (its owner decides the service).
        public var relation: ObjectName

        public static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.relation, lhs.object, lhs.change.rawValue) < (rhs.relation, rhs.object, rhs.change.rawValue)
        }
    }

    public var entries: [Entry]

    public var isEmpty: Bool { entries.isEmpty }

    public static func between(_ base: SchemaModel, _ head: SchemaModel) -> SchemaDiff {
        var entries: [Entry] = []
        func add(_ change: Entry.Change, _ object: String, _ detail: String? = nil, on relation: ObjectName) {
            entries.append(Entry(change: change, object: object, detail: detail, relation: relation))
        }
        for name in head.tables.keys where base.tables[name] == nil { add(.added, "table \(name.display)", on: name) }
        for (name, _) in base.tables where head.tables[name] == nil { add(.dropped, "table \(name.display)", on: name) }
        for (name, table) in head.tables {
            guard let old = base.tables[name] else { continue }
            let oldColumns = Dictionary(old.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let newColumns = Dictionary(table.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for column in table.columns {
                let label = "column \(name.display).\(column.name)"
                guard let before = oldColumns[column.name] else {
                    add(.added, label, "\(column.type)\(column.notNull ? " NOT NULL" : "")\(column.defaultExpression.map { " DEFAULT \($0)" } ?? "")", on: name)
                    continue
                }
                var details: [String] = []
                if before.type != column.type { details.append("\(before.type) → \(column.type)") }
                if before.notNull != column.notNull { details.append(column.notNull ? "NULL → NOT NULL" : "NOT NULL → NULL") }
                if before.defaultExpression != column.defaultExpression {
                    details.append("default \(before.defaultExpression ?? "none") → \(column.defaultExpression ?? "none")")
                }
                if !details.isEmpty { add(.changed, label, details.joined(separator: ", "), on: name) }
            }
            for column in old.columns where newColumns[column.name] == nil { add(.dropped, "column \(name.display).\(column.name)", on: name) }
            let oldConstraints = Set(old.constraints.filter { !$0.inherited }.map(\.name))
            let newConstraints = Set(table.constraints.filter { !$0.inherited }.map(\.name))
            for constraint in table.constraints where !constraint.inherited && !oldConstraints.contains(constraint.name) {
                add(.added, "constraint \(constraint.name) on \(name.display)", constraint.kind.rawValue, on: name)
            }
            for constraint in old.constraints where !constraint.inherited && !newConstraints.contains(constraint.name) {
                add(.dropped, "constraint \(constraint.name) on \(name.display)", constraint.kind.rawValue, on: name)
            }
            let oldGrants = old.privileges.byGrantee, newGrants = table.privileges.byGrantee
            for grantee in Set(oldGrants.keys).union(newGrants.keys).sorted() where oldGrants[grantee] != newGrants[grantee] {
                let before = oldGrants[grantee]?.joined(separator: ", ") ?? "none"
                let after = newGrants[grantee]?.joined(separator: ", ") ?? "none"
                add(oldGrants[grantee] == nil ? .added : newGrants[grantee] == nil ? .dropped : .changed,
                    "privileges of \(grantee) on \(name.display)", "\(before) → \(after)", on: name)
            }
        }
        for (name, index) in head.indexes where base.indexes[name] == nil && index.constraint == nil {
            add(.added, "index \(name.display) on \(index.table.display)", index.unique ? "unique" : nil, on: index.table)
        }
        for (name, index) in base.indexes where head.indexes[name] == nil && index.constraint == nil {
            add(.dropped, "index \(name.display) on \(index.table.display)", nil, on: index.table)
        }
        for (name, view) in head.views where base.views[name] == nil {
            add(.added, "\(view.materialized ? "materialized view" : "view") \(name.display)", nil, on: name)
        }
        for (name, view) in base.views where head.views[name] == nil {
            add(.dropped, "\(view.materialized ? "materialized view" : "view") \(name.display)", nil, on: name)
        }
        for (name, view) in head.views {
            guard let old = base.views[name], old.reads != view.reads else { continue }
            add(.changed, "view \(name.display)", "reads \(view.reads.map(\.display).sorted().joined(separator: ", "))", on: name)
        }
        return SchemaDiff(entries: entries.sorted())
    }
}
