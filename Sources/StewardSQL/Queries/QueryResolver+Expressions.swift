internal import CPgQueryRaw

// Expressions: column references resolved through the scopes, subqueries as nested levels.
extension QueryResolver {
    /// What an expression holds that needs a scope: column references and subqueries.
    /// Found with PostgreSQL's own walker, which does not descend into either.
    struct ExpressionParts {
        var references: [RawNode] = []
        var subqueries: [RawNode] = []
    }

    func parts(of node: RawNode) -> ExpressionParts {
        var parts = ExpressionParts()
        withUnsafeMutablePointer(to: &parts) { pointer in
            _ = steward_raw_walk(node, { node, context in
                guard let node, let context else { return false }
                let parts = context.assumingMemoryBound(to: ExpressionParts.self)
                switch node.tag {
                case T_ColumnRef:
                    parts.pointee.references.append(node)
                    return false
                case T_SubLink, T_SelectStmt:
                    parts.pointee.subqueries.append(node)
                    return false
                case T_FuncCall:
                    // sqlc.arg(x), sqlc.narg(x), sqlc.slice(x): parameters, whatever their argument says.
                    let name = strings(node.as(FuncCall.self).pointee.funcname)
                    return !(name.count == 2 && name[0] == "sqlc")
                default:
                    return true
                }
            }, pointer)
        }
        return parts
    }

    mutating func expressions(_ list: RawList?, _ scope: Scope, allowOutputNames: Bool = false) {
        for node in nodes(list) { expression(node, scope, allowOutputNames: allowOutputNames) }
    }

    mutating func expression(_ node: RawNode?, _ scope: Scope, allowOutputNames: Bool = false) {
        guard let node else { return }
        let found = parts(of: node)
        for reference in found.references {
            let columnRef = reference.as(ColumnRef.self).pointee
            let fields = nodes(columnRef.fields)
            // `t.*` inside an expression (`row_to_json(t.*)`, `count(t.*)`): the whole row.
            if let last = fields.last, last.tag == T_A_Star {
                _ = expandStar((fields.dropLast().compactMap(stringValue), columnRef.location), scope: scope)
                continue
            }
            self.reference(fields.compactMap(stringValue), location: columnRef.location, scope: scope, allowOutputNames: allowOutputNames)
        }
        for subquery in found.subqueries {
            if subquery.tag == T_SubLink {
                let link = subquery.as(SubLink.self).pointee
                expression(link.testexpr, scope)
                _ = nested(link.subselect, outer: scope)
            } else {
                _ = nested(subquery, outer: scope)
            }
        }
    }

    /// A column reference (`c`, `t.c`, `s.t.c`), looked up from the innermost level outwards.
    mutating func reference(_ parts: [String], location: Int32, scope: Scope, allowOutputNames: Bool) {
        guard let column = parts.last else { return }
        if parts.count == 1 {
            var level: Scope? = scope
            var uncertain = false
            while let current = level {
                if let entry = current.entries.first(where: { $0.columns?.contains(column) ?? false }) {
                    if let relation = entry.relation { record(relation, entry.renamed[column] ?? column, .read, location) }
                    return
                }
                // A whole-row reference to a FROM item (`SELECT t FROM t`).
                if let entry = current.entries.first(where: { $0.alias == column }) {
                    if let relation = entry.relation { record(relation, nil, .read, location) }
                    return
                }
                if current.entries.contains(where: { $0.columns == nil }) { uncertain = true }
                level = current.parent
            }
            if uncertain || (allowOutputNames && scope.outputNames.contains(column)) { return }
            problem("column \"\(column)\" does not exist", location)
            // With one table in scope the column was meant for it (a dropped or renamed column).
            let tables = scope.entries.compactMap(\.relation)
            if tables.count == 1 { record(tables[0], column, .read, location) }
            return
        }
        // `t.c` (or `s.t.c`): the FROM item named t; failing that, a composite column `t` and its field.
        let qualifier = parts[parts.count - 2]
        let schema = parts.count >= 3 ? parts[parts.count - 3] : nil
        var level: Scope? = scope
        while let current = level {
            if let entry = current.entries.first(where: { entry in
                entry.alias == qualifier && (schema == nil || entry.relation?.schema == schema)
            }) {
                if let columns = entry.columns, !columns.contains(column) {
                    problem("column \(qualifier).\(column) does not exist", location)
                }
                if let relation = entry.relation {
                    record(relation, entry.renamed[column] ?? column, .read, location)
                }
                return
            }
            if parts.count == 2, let entry = current.entries.first(where: { $0.columns?.contains(qualifier) ?? false }) {
                if let relation = entry.relation { record(relation, entry.renamed[qualifier] ?? qualifier, .read, location) }
                return
            }
            if current.entries.contains(where: { $0.columns == nil && $0.alias.isEmpty }) { return }
            level = current.parent
        }
        problem("missing FROM-clause entry for table \"\(qualifier)\"", location)
    }
}
