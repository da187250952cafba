import StewardSQL

extension SchemaReplayer {
    mutating func drop(_ drop: Drop, at offset: Int) {
        for name in drop.names {
            switch drop.target {
            case .table:
                guard let table = resolve(name, in: model.tables) else {
                    if !drop.ifExists { issue("DROP TABLE of unknown table \(name)", at: offset) }
                    continue
                }
                dropTable(table)
            case .view, .materializedView:
                guard let view = resolve(name, in: model.views) else {
                    if !drop.ifExists { issue("DROP VIEW of unknown view \(name)", at: offset) }
                    continue
                }
                dropView(view)
            case .index:
                guard let index = resolve(name, in: model.indexes) else {
                    if !drop.ifExists { issue("DROP INDEX of unknown index \(name)", at: offset) }
                    continue
                }
                model.indexes[index] = nil
            case .type, .domain:
                if let type = resolve(name, in: model.types) { model.types[type] = nil }
                else if !drop.ifExists { issue("DROP TYPE of unknown type \(name)", at: offset) }
            case .sequence:
                if let sequence = resolve(name, in: model.sequences) { model.sequences[sequence] = nil }
            case .schema:
                dropSchema(name.name)
            case .function, .procedure:
                let qualified = resolveFunctionName(name)
                for (key, function) in model.functions where function.name == qualified || (name.schema == nil && function.name.name == name.name) {
                    model.functions[key] = nil
                }
            case .extension:
                model.extensions.remove(name.name)
            case .trigger(let tableName):
                if let table = resolve(tableName, in: model.tables) { model.tables[table]?.triggers.removeAll { $0.name == name.name } }
            case .other:
                model.unmodelled.append(UnmodelledStatement(kind: "DropStmt", origin: origin(offset)))
            }
        }
    }


    mutating func dropSchema(_ schema: String) {
        model.schemas[schema] = nil
        refreshEffectivePath()
        for table in model.tables.keys where table.schema == schema { dropTable(table) }
        model.views = model.views.filter { $0.key.schema != schema }
        model.types = model.types.filter { $0.key.schema != schema }
        model.sequences = model.sequences.filter { $0.key.schema != schema }
        model.indexes = model.indexes.filter { $0.key.schema != schema }
        model.functions = model.functions.filter { $0.value.name.schema != schema }
    }
}
