internal import CPgQueryRaw

/// Resolves the tables and columns one statement of a query file touches, walking PostgreSQL's
/// raw parse tree with SQL's scoping rules: FROM items (tables, joins, subqueries, LATERAL,
/// functions), CTEs (a CTE name is not a table), outer references from subqueries, `*`,
/// INSERT/UPDATE/DELETE/MERGE targets, ON CONFLICT (with `excluded`) and RETURNING.
/// Where the schema cannot say (a function's columns, a view's), any column is accepted:
/// a problem is reported only when PostgreSQL would certainly reject the query.
struct QueryResolver {
    let catalog: QueryCatalog
    /// File offset of the parsed text.
    let base: Int
    var accesses: [QueryAccess] = []
    var problems: [QueryProblem] = []

    init(catalog: QueryCatalog, base: Int) {
        self.catalog = catalog
        self.base = base
    }

    /// One FROM item as a query level sees it.
    struct Entry {
        /// The name columns are qualified with (alias, else the relation's name).
        var alias: String
        /// The real relation, when the entry is one (not a CTE, subquery or function).
        var relation: ObjectName?
        /// Visible column names; nil when not known (any column is accepted).
        var columns: [String]?
        /// For a relation whose columns an alias renamed: visible name → real column.
        var renamed: [String: String] = [:]
    }

    /// A query level: its FROM entries, the CTEs it sees, and the level around it.
    final class Scope {
        var entries: [Entry] = []
        var ctes: [String: [String]?] = [:]
        let parent: Scope?
        /// Output names of the SELECT list, which ORDER BY and GROUP BY may use.
        var outputNames: Set<String> = []

        init(parent: Scope?) { self.parent = parent }

        func cte(_ name: String) -> [String]?? {
            if let columns = ctes[name] { return .some(columns) }
            return parent?.cte(name)
        }
    }

    func at(_ location: Int32) -> Int { base + Int(max(0, location)) }

    mutating func record(_ relation: ObjectName, _ column: String?, _ kind: QueryAccess.Kind, _ location: Int32) {
        accesses.append(QueryAccess(relation: relation, column: column, kind: kind, offset: at(location)))
    }

    mutating func problem(_ message: String, _ location: Int32) {
        problems.append(QueryProblem(message: message, offset: at(location)))
    }

    /// Returns false for a statement that is not a query (DDL, utility statements).
    mutating func resolveStatement(_ node: RawNode) -> Bool {
        switch node.tag {
        case T_SelectStmt: _ = select(node.as(SelectStmt.self).pointee, outer: nil)
        case T_InsertStmt: insert(node.as(InsertStmt.self).pointee, outer: nil)
        case T_UpdateStmt: update(node.as(UpdateStmt.self).pointee, outer: nil)
        case T_DeleteStmt: delete(node.as(DeleteStmt.self).pointee, outer: nil)
        case T_MergeStmt: merge(node.as(MergeStmt.self).pointee, outer: nil)
        default: return false
        }
        return true
    }

    /// A nested statement (a CTE body, a subquery): its output column names, nil when unknown.
    mutating func nested(_ node: RawNode?, outer: Scope?) -> [String]? {
        guard let node else { return nil }
        switch node.tag {
        case T_SelectStmt: return select(node.as(SelectStmt.self).pointee, outer: outer)
        case T_InsertStmt:
            let statement = node.as(InsertStmt.self).pointee
            insert(statement, outer: outer)
            return returningNames(statement.returningList)
        case T_UpdateStmt:
            let statement = node.as(UpdateStmt.self).pointee
            update(statement, outer: outer)
            return returningNames(statement.returningList)
        case T_DeleteStmt:
            let statement = node.as(DeleteStmt.self).pointee
            delete(statement, outer: outer)
            return returningNames(statement.returningList)
        default: return nil
        }
    }

    func returningNames(_ list: RawList?) -> [String]? {
        let targets = nodes(list).filter { $0.tag == T_ResTarget }
        if targets.contains(where: { target in isStar(target.as(ResTarget.self).pointee.val) }) { return nil }
        return targets.map { outputName($0.as(ResTarget.self).pointee) }
    }

    /// WITH: each CTE's body, then its name is visible to later CTEs and the statement.
    mutating func with(_ clause: UnsafeMutablePointer<WithClause>?, into scope: Scope) {
        guard let clause else { return }
        for node in nodes(clause.pointee.ctes) where node.tag == T_CommonTableExpr {
            let cte = node.as(CommonTableExpr.self).pointee
            let name = text(cte.ctename)
            let aliases = strings(cte.aliascolnames)
            // A recursive CTE sees itself while its body is resolved.
            if clause.pointee.recursive { scope.ctes[name] = aliases.isEmpty ? .some(nil) : .some(aliases) }
            let output = nested(cte.ctequery, outer: scope)
            scope.ctes[name] = .some(aliases.isEmpty ? output : aliases)
        }
    }

    // MARK: SELECT

    mutating func select(_ statement: SelectStmt, outer: Scope?) -> [String]? {
        let scope = Scope(parent: outer)
        with(statement.withClause, into: scope)
        if statement.op != SETOP_NONE {
            let left = statement.larg.map { select($0.pointee, outer: scope) } ?? nil
            _ = statement.rarg.map { select($0.pointee, outer: scope) }
            expressions(statement.sortClause, scope, allowOutputNames: true)
            expression(statement.limitCount, scope)
            expression(statement.limitOffset, scope)
            if let left { scope.outputNames = Set(left) }
            return left
        }
        if statement.valuesLists != nil {
            var width = 0
            for row in nodes(statement.valuesLists) where row.tag == T_List {
                width = max(width, count(row.as(List.self)))
                expressions(row.as(List.self), scope)
            }
            return (0..<width).map { "column\($0 + 1)" }
        }
        for item in nodes(statement.fromClause) { scope.entries += fromItem(item, scope: scope) }
        var names: [String]? = []
        for target in nodes(statement.targetList) where target.tag == T_ResTarget {
            let resTarget = target.as(ResTarget.self).pointee
            if let star = starReference(resTarget.val) {
                let expanded = expandStar(star, scope: scope)
                if let expanded, names != nil { names! += expanded } else { names = nil }
                continue
            }
            expression(resTarget.val, scope)
            names?.append(outputName(resTarget))
        }
        scope.outputNames = Set(names ?? [])
        expressions(statement.distinctClause, scope)
        expression(statement.whereClause, scope)
        expressions(statement.groupClause, scope, allowOutputNames: true)
        expression(statement.havingClause, scope)
        for window in nodes(statement.windowClause) { expression(window, scope) }
        expressions(statement.sortClause, scope, allowOutputNames: true)
        expression(statement.limitCount, scope)
        expression(statement.limitOffset, scope)
        return names
    }

    /// `*` or `t.*` as a target: the ColumnRef's qualifier ("" for a bare `*`).
    func starReference(_ node: RawNode?) -> (qualifier: [String], location: Int32)? {
        guard let node, node.tag == T_ColumnRef else { return nil }
        let reference = node.as(ColumnRef.self).pointee
        let fields = nodes(reference.fields)
        guard let last = fields.last, last.tag == T_A_Star else { return nil }
        return (fields.dropLast().compactMap(stringValue), reference.location)
    }

    func isStar(_ node: RawNode?) -> Bool { starReference(node) != nil }

    /// Reads every column `*` stands for; the names, nil when one entry's columns are unknown.
    mutating func expandStar(_ star: (qualifier: [String], location: Int32), scope: Scope) -> [String]? {
        let entries: [Entry]
        if let alias = star.qualifier.last {
            guard let entry = scope.entries.first(where: { $0.alias == alias }) else {
                problem("missing FROM-clause entry for table \"\(alias)\"", star.location)
                return nil
            }
            entries = [entry]
        } else {
            entries = scope.entries
        }
        var names: [String]? = []
        for entry in entries {
            guard let columns = entry.columns else {
                if let relation = entry.relation { record(relation, nil, .read, star.location) }
                names = nil
                continue
            }
            if let relation = entry.relation {
                for column in columns { record(relation, entry.renamed[column] ?? column, .read, star.location) }
            }
            names? += columns
        }
        return names
    }

    /// The name PostgreSQL gives a SELECT-list item (`FigureColname`).
    func outputName(_ target: ResTarget) -> String {
        if let name = optionalText(target.name) { return name }
        return figureName(target.val)
    }

    func figureName(_ node: RawNode?) -> String {
        guard let node else { return "?column?" }
        switch node.tag {
        case T_ColumnRef: return nodes(node.as(ColumnRef.self).pointee.fields).last.flatMap(stringValue) ?? "?column?"
        case T_FuncCall: return strings(node.as(FuncCall.self).pointee.funcname).last ?? "?column?"
        case T_TypeCast:
            let cast = node.as(TypeCast.self).pointee
            let inner = figureName(cast.arg)
            return inner != "?column?" ? inner : (cast.typeName.map { strings($0.pointee.names).last ?? "?column?" } ?? "?column?")
        case T_CaseExpr: return "case"
        case T_CoalesceExpr: return "coalesce"
        case T_SubLink:
            let link = node.as(SubLink.self).pointee
            if link.subLinkType == EXISTS_SUBLINK { return "exists" }
            if link.subLinkType == ARRAY_SUBLINK { return "array" }
            return "?column?"
        default: return "?column?"
        }
    }
}
