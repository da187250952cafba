internal import CPgQueryRaw

// FROM items and the data-modifying statements.
extension QueryResolver {
    mutating func fromItem(_ node: RawNode, scope: Scope) -> [Entry] {
        switch node.tag {
        case T_RangeVar:
            return [relationEntry(node.as(RangeVar.self), scope: scope)]
        case T_JoinExpr:
            let join = node.as(JoinExpr.self).pointee
            let left = join.larg.map { fromItem($0, scope: scope) } ?? []
            let visible = Scope(parent: scope.parent)
            visible.ctes = scope.ctes
            visible.entries = scope.entries + left
            let right = join.rarg.map { fromItem($0, scope: visible) } ?? []
            visible.entries += right
            for column in strings(join.usingClause) {
                for entry in left + right where entry.columns?.contains(column) ?? false {
                    if let relation = entry.relation { record(relation, entry.renamed[column] ?? column, .read, -1) }
                }
            }
            expression(join.quals, visible)
            return left + right
        case T_RangeSubselect:
            let subselect = node.as(RangeSubselect.self).pointee
            let output = nested(subselect.subquery, outer: subselect.lateral ? scope : scope.parent)
            return [Entry(alias: text(subselect.alias?.pointee.aliasname), relation: nil,
                          columns: aliasColumns(subselect.alias) ?? output)]
        case T_RangeFunction:
            let function = node.as(RangeFunction.self).pointee
            // Functions in FROM may refer to earlier FROM items (they are implicitly LATERAL).
            for item in nodes(function.functions) {
                if item.tag == T_List, let call = nodes(item.as(List.self)).first { expression(call, scope) } else { expression(item, scope) }
            }
            var columns = aliasColumns(function.alias)
            if columns == nil, function.coldeflist != nil {
                columns = nodes(function.coldeflist).filter { $0.tag == T_ColumnDef }.map { text($0.as(ColumnDef.self).pointee.colname) }
            }
            return [Entry(alias: text(function.alias?.pointee.aliasname), relation: nil, columns: columns)]
        case T_RangeTableSample:
            let sample = node.as(RangeTableSample.self).pointee
            expressions(sample.args, scope)
            return sample.relation.map { fromItem($0, scope: scope) } ?? []
        default:
            // XMLTABLE and other table functions: their columns are not checked.
            return [Entry(alias: "", relation: nil, columns: nil)]
        }
    }

    func aliasColumns(_ alias: UnsafeMutablePointer<Alias>?) -> [String]? {
        guard let alias, alias.pointee.colnames != nil else { return nil }
        return strings(alias.pointee.colnames)
    }

    /// A table (or view) in FROM, or a CTE of that name; records the read of the relation.
    mutating func relationEntry(_ rangeVar: UnsafeMutablePointer<RangeVar>, scope: Scope) -> Entry {
        let name = objectName(rangeVar)
        let alias = optionalText(rangeVar.pointee.alias?.pointee.aliasname) ?? name.name
        if name.schema == nil, let columns = scope.cte(name.name) {
            return Entry(alias: alias, relation: nil, columns: aliasColumns(rangeVar.pointee.alias) ?? columns)
        }
        var entry = tableEntry(rangeVar, name: name, alias: alias, kind: .read)
        guard let columns = entry.columns else { return entry }
        if let renamed = aliasColumns(rangeVar.pointee.alias) {
            // `FROM t AS x(a, b)` renames the first columns, keeping the others.
            var visible = columns
            for (index, name) in renamed.enumerated() where index < columns.count {
                visible[index] = name
                entry.renamed[name] = columns[index]
            }
            entry.columns = visible
        }
        return entry
    }

    /// The target of INSERT, UPDATE, DELETE or MERGE, recorded as written.
    mutating func target(_ rangeVar: UnsafeMutablePointer<RangeVar>?) -> Entry? {
        guard let rangeVar else { return nil }
        let name = objectName(rangeVar)
        return tableEntry(rangeVar, name: name, alias: optionalText(rangeVar.pointee.alias?.pointee.aliasname) ?? name.name, kind: .write)
    }

    /// A table or view looked up in the catalog, its access recorded. A missing one is a problem
    /// but still recorded (as on the default search path): a migration that dropped or renamed the
    /// table is what breaks the query, and the breaking-change rules look for it.
    mutating func tableEntry(_ rangeVar: UnsafeMutablePointer<RangeVar>, name: ObjectName, alias: String,
                             kind: QueryAccess.Kind) -> Entry {
        guard let relation = catalog.relation(named: name) else {
            problem("relation \"\(name)\" does not exist", rangeVar.pointee.location)
            let missing = ObjectName(schema: name.schema ?? "public", name: name.name)
            record(missing, nil, kind, rangeVar.pointee.location)
            return Entry(alias: alias, relation: missing, columns: nil)
        }
        record(relation.name, nil, kind, rangeVar.pointee.location)
        return Entry(alias: alias, relation: relation.name, columns: relation.columns)
    }

    /// `SET col = …`, an INSERT column list: each a written column of the target.
    mutating func writtenColumns(_ list: RawList?, of entry: Entry?) {
        for node in nodes(list) where node.tag == T_ResTarget {
            let target = node.as(ResTarget.self).pointee
            guard let column = optionalText(target.name), let entry, let relation = entry.relation else { continue }
            if let columns = entry.columns, !columns.contains(column) {
                problem("column \"\(column)\" of relation \"\(relation.name)\" does not exist", target.location)
            }
            record(relation, column, .write, target.location)
        }
    }

    /// RETURNING: expressions over the target.
    mutating func returning(_ list: RawList?, scope: Scope) {
        for node in nodes(list) where node.tag == T_ResTarget {
            let target = node.as(ResTarget.self).pointee
            if let star = starReference(target.val) { _ = expandStar(star, scope: scope) } else { expression(target.val, scope) }
        }
    }

    mutating func insert(_ statement: InsertStmt, outer: Scope?) {
        let scope = Scope(parent: outer)
        with(statement.withClause, into: scope)
        let entry = target(statement.relation)
        if statement.cols != nil {
            writtenColumns(statement.cols, of: entry)
        } else if let entry, let relation = entry.relation {
            for column in entry.columns ?? [] { record(relation, column, .write, statement.relation.pointee.location) }
        }
        // The rows inserted are computed without the target in scope.
        _ = nested(statement.selectStmt, outer: scope)
        if let conflict = statement.onConflictClause?.pointee {
            let conflictScope = Scope(parent: scope)
            if let entry {
                conflictScope.entries = [entry, Entry(alias: "excluded", relation: nil, columns: entry.columns)]
            }
            if let infer = conflict.infer?.pointee {
                for element in nodes(infer.indexElems) where element.tag == T_IndexElem {
                    let index = element.as(IndexElem.self).pointee
                    if let column = optionalText(index.name) {
                        reference([column], location: infer.location, scope: conflictScope, allowOutputNames: false)
                    } else {
                        expression(index.expr, conflictScope)
                    }
                }
                expression(infer.whereClause, conflictScope)
            }
            writtenColumns(conflict.targetList, of: entry)
            for node in nodes(conflict.targetList) where node.tag == T_ResTarget { expression(node.as(ResTarget.self).pointee.val, conflictScope) }
            expression(conflict.whereClause, conflictScope)
        }
        let returningScope = Scope(parent: scope)
        if let entry { returningScope.entries = [entry] }
        returning(statement.returningList, scope: returningScope)
    }

    mutating func update(_ statement: UpdateStmt, outer: Scope?) {
        let scope = Scope(parent: outer)
        with(statement.withClause, into: scope)
        let entry = target(statement.relation)
        if let entry { scope.entries = [entry] }
        for item in nodes(statement.fromClause) { scope.entries += fromItem(item, scope: scope) }
        writtenColumns(statement.targetList, of: entry)
        for node in nodes(statement.targetList) where node.tag == T_ResTarget { expression(node.as(ResTarget.self).pointee.val, scope) }
        expression(statement.whereClause, scope)
        returning(statement.returningList, scope: scope)
    }

    mutating func delete(_ statement: DeleteStmt, outer: Scope?) {
        let scope = Scope(parent: outer)
        with(statement.withClause, into: scope)
        let entry = target(statement.relation)
        if let entry { scope.entries = [entry] }
        for item in nodes(statement.usingClause) { scope.entries += fromItem(item, scope: scope) }
        expression(statement.whereClause, scope)
        returning(statement.returningList, scope: scope)
    }

    mutating func merge(_ statement: MergeStmt, outer: Scope?) {
        let scope = Scope(parent: outer)
        with(statement.withClause, into: scope)
        let entry = target(statement.relation)
        if let entry { scope.entries = [entry] }
        if let source = statement.sourceRelation { scope.entries += fromItem(source, scope: scope) }
        expression(statement.joinCondition, scope)
        for node in nodes(statement.mergeWhenClauses) where node.tag == T_MergeWhenClause {
            let clause = node.as(MergeWhenClause.self).pointee
            expression(clause.condition, scope)
            writtenColumns(clause.targetList, of: entry)
            for target in nodes(clause.targetList) where target.tag == T_ResTarget { expression(target.as(ResTarget.self).pointee.val, scope) }
            expressions(clause.values, scope)
        }
    }
}
