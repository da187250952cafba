import CPgQuery

// Statements read for the locks they take: settings, REINDEX, VACUUM, and the like.
extension ProtobufConverter {
    func setVariable(_ statement: PgQuery__VariableSetStmt) -> SetVariable {
        var value: String?
        if statement.kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE {
            value = nodes(statement.n_args, statement.args).map { argument -> String in
                let rendered = ProtobufExpressions.render(argument)
                // `SET lock_timeout = '5s'`: string constants arrive quoted.
                return rendered.hasPrefix("'") && rendered.hasSuffix("'") ? String(rendered.dropFirst().dropLast()) : rendered
            }.joined(separator: ", ")
        }
        return SetVariable(name: text(statement.name).lowercased(), value: value, isLocal: statement.is_local != 0)
    }

    func reindex(_ statement: PgQuery__ReindexStmt) -> TableOperation {
        let target: TableOperation.ReindexTarget = switch statement.kind {
        case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX: .index
        case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE: .table
        case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA: .schema
        case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM: .system
        default: .database
        }
        return TableOperation(kind: .reindex(target), relations: statement.relation.map { [objectName($0)] } ?? [],
                              name: optionalText(statement.name), concurrently: hasOption("concurrently", statement.n_params, statement.params),
                              offset: at(statement.relation?.pointee.location))
    }

    func vacuum(_ statement: PgQuery__VacuumStmt) -> TableOperation {
        let relations = nodes(statement.n_rels, statement.rels)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION }
            .compactMap { $0.pointee.vacuum_relation.pointee.relation }
        return TableOperation(kind: .vacuum(full: hasOption("full", statement.n_options, statement.options), vacuum: statement.is_vacuumcmd != 0),
                              relations: relations.map(objectName), relationOffsets: relations.map { at($0.pointee.location) },
                              name: nil, concurrently: false, offset: at(relations.first?.pointee.location))
    }

    /// Whether a `(name [value], …)` option list turns `name` on (`CONCURRENTLY`, `FULL`,
    /// `FULL true`; not `FULL false`).
    func hasOption(_ name: String, _ count: Int, _ options: NodeList?) -> Bool {
        nodes(count, options).contains { option in
            guard option.pointee.node_case == PG_QUERY__NODE__NODE_DEF_ELEM else { return false }
            let element = option.pointee.def_elem.pointee
            guard text(element.defname) == name else { return false }
            guard let argument = element.arg else { return true }
            let value = ProtobufExpressions.render(argument).lowercased()
            return !["false", "off", "0", "'false'", "'off'"].contains(value)
        }
    }

    func rangeVars(_ count: Int, _ list: NodeList?) -> [UnsafeMutablePointer<PgQuery__RangeVar>] {
        nodes(count, list).filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_RANGE_VAR }.compactMap { $0.pointee.range_var }
    }
}
