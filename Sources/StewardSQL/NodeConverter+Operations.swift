internal import CPgQueryRaw

// Statements read for the locks they take: settings, REINDEX, VACUUM, and the like.
extension NodeConverter {
    func setVariable(_ statement: VariableSetStmt) -> SetVariable {
        var value: String?
        if statement.kind == VAR_SET_VALUE {
            value = nodes(statement.args).map { argument -> String in
                let rendered = Expressions.render(argument)
                // `SET lock_timeout = '5s'`: string constants arrive quoted.
                return rendered.hasPrefix("'") && rendered.hasSuffix("'") ? String(rendered.dropFirst().dropLast()) : rendered
            }.joined(separator: ", ")
        }
        return SetVariable(name: text(statement.name).lowercased(), value: value, isLocal: statement.is_local)
    }

    func reindex(_ statement: ReindexStmt) -> TableOperation {
        let target: TableOperation.ReindexTarget = switch statement.kind {
        case REINDEX_OBJECT_INDEX: .index
        case REINDEX_OBJECT_TABLE: .table
        case REINDEX_OBJECT_SCHEMA: .schema
        case REINDEX_OBJECT_SYSTEM: .system
        default: .database
        }
        return TableOperation(kind: .reindex(target), relations: statement.relation.map { [objectName($0)] } ?? [],
                              name: statement.name.flatMap { $0.pointee == 0 ? nil : String(cString: $0) },
                              concurrently: hasOption("concurrently", statement.params),
                              offset: at(statement.relation?.pointee.location))
    }

    func vacuum(_ statement: VacuumStmt) -> TableOperation {
        let relations = nodes(statement.rels).filter { $0.tag == T_VacuumRelation }.compactMap { $0.as(VacuumRelation.self).pointee.relation }
        return TableOperation(kind: .vacuum(full: hasOption("full", statement.options), vacuum: statement.is_vacuumcmd),
                              relations: relations.map(objectName), relationOffsets: relations.map { at($0.pointee.location) },
                              name: nil, concurrently: false, offset: at(relations.first?.pointee.location))
    }

    /// Whether a `(name [value], …)` option list turns `name` on (`CONCURRENTLY`, `FULL`,
    /// `FULL true`; not `FULL false`).
    func hasOption(_ name: String, _ options: RawList?) -> Bool {
        nodes(options).contains { option in
            guard option.tag == T_DefElem else { return false }
            let element = option.as(DefElem.self).pointee
            guard text(element.defname) == name else { return false }
            guard let argument = element.arg else { return true }
            let value = Expressions.render(argument).lowercased()
            return !["false", "off", "0", "'false'", "'off'"].contains(value)
        }
    }

    func rangeVars(_ list: RawList?) -> [UnsafeMutablePointer<RangeVar>] {
        nodes(list).filter { $0.tag == T_RangeVar }.map { $0.as(RangeVar.self) }
    }
}
