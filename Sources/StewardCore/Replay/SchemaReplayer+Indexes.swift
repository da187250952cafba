import StewardSQL

extension SchemaReplayer {
    mutating func createIndex(_ create: CreateIndex, at offset: Int) {
        guard let table = resolve(create.table, in: model.tables) ?? resolve(create.table, in: model.views) else {
            if isTemporary(create.table) { return }
            return issue("CREATE INDEX on unknown table \(create.table)", at: offset)
        }
        let schema = table.schema!
        let name = create.name ?? PostgresNaming.choose(table.name, PostgresNaming.addition(create.columns.map(\.nameForGeneratedName)), "idx") {
            relationNameTaken(schema, $0)
        }
        let key = ObjectName(schema: schema, name: name)
        if relationNameTaken(schema, name) {
            if !create.ifNotExists { issue("CREATE INDEX \(name): a relation of that name already exists", at: offset, kind: .duplicate) }
            return
        }
        record(.createIndex(name: name, unique: create.unique, concurrently: create.concurrently), object: key, table: table, at: offset,
               length: "CREATE".count)
        let keys = create.columns.map { IndexKey(column: $0.column, expression: $0.expression) }
        indexesOf.add(key, to: table)
        model.indexes[key] = Index(name: key, table: table, keys: keys, expressionColumns: create.expressionColumns, unique: create.unique,
                                   method: create.method, trackedPredicate: create.predicate,
                                   constraint: nil, origin: origin(create.offset))
    }
}
