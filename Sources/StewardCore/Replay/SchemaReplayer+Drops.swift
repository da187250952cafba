import StewardSQL

// DROP: what depends on the object decides whether Postgres accepts the statement. Without
// CASCADE a drop that other objects depend on fails as a whole, so it does not enter the
// model; with CASCADE what goes along is recorded with the change.
extension SchemaReplayer {
    mutating func drop(_ drop: Drop, at offset: Int) {
        switch drop.target {
        case .table: dropTables(drop, at: offset)
        case .view, .materializedView: dropViews(drop, at: offset)
        default: break
        }
        for name in drop.names {
            switch drop.target {
            case .table, .view, .materializedView: break
            case .index:
                guard let index = resolve(name, in: model.indexes) else {
                    if !drop.ifExists { issue("DROP INDEX of unknown index \(name)", at: offset) }
                    continue
                }
                if let constraint = model.indexes[index]?.constraint, !drop.cascade {
                    issue("DROP INDEX \(index.display): constraint \(constraint) requires it; drop the constraint instead", at: offset, kind: .dependents)
                    continue
                }
                record(.dropIndex(concurrently: drop.concurrently), object: index, table: model.indexes[index]?.table, at: offset,
                       length: "DROP".count)
                model.indexes[index] = nil
            case .type, .domain:
                guard let type = resolve(name, in: model.types) else {
                    if !drop.ifExists { issue("DROP TYPE of unknown type \(name)", at: offset) }
                    continue
                }
                let users = columnsUsing(type: type)
                if !users.isEmpty, !drop.cascade {
                    issue("DROP TYPE \(type.display): \(users.map(\.description).joined(separator: ", ")) uses it; "
                          + "Postgres refuses the drop without CASCADE", at: offset, kind: .dependents)
                    continue
                }
                for user in users { dropColumn(user.detail, from: user.object) }
                model.types[type] = nil
            case .sequence:
                if let sequence = resolve(name, in: model.sequences) { model.sequences[sequence] = nil }
                else if !drop.ifExists { issue("DROP SEQUENCE of unknown sequence \(name)", at: offset) }
            case .schema:
                guard model.schemas[name.name] != nil else {
                    if !drop.ifExists { issue("DROP SCHEMA of unknown schema \(name.name)", at: offset) }
                    continue
                }
                let contents = objects(inSchema: name.name)
                if !contents.isEmpty, !drop.cascade {
                    issue("DROP SCHEMA \(name.name): it still holds \(contents.prefix(5).joined(separator: ", "))"
                          + (contents.count > 5 ? " and \(contents.count - 5) more" : "") + "; Postgres refuses the drop without CASCADE",
                          at: offset, kind: .dependents)
                    continue
                }
                record(.dropSchema(cascaded: contents), object: ObjectName(name: name.name), table: nil, at: offset, length: "DROP".count,
                       createdIn: model.schemas[name.name].flatMap { $0?.path } ?? "")
                dropSchema(name.name)
            case .function, .procedure:
                let qualified = resolveFunctionName(name)
                let matches = model.functions.filter { $0.value.name == qualified || (name.schema == nil && $0.value.name.name == name.name) }
                guard !matches.isEmpty else {
                    if !drop.ifExists { issue("DROP FUNCTION of unknown function \(name)", at: offset) }
                    continue
                }
                let triggers = triggersCalling(qualified)
                if !triggers.isEmpty, !drop.cascade {
                    issue("DROP FUNCTION \(qualified.display): \(triggers.map(\.description).joined(separator: ", ")) calls it; "
                          + "Postgres refuses the drop without CASCADE", at: offset, kind: .dependents)
                    continue
                }
                for (key, function) in matches.sorted(by: { $0.key < $1.key }) {
                    record(.dropFunction(signature: function.signature), object: function.name, table: nil, at: offset,
                           length: "DROP".count, dependents: triggers, createdIn: function.origin.path)
                    model.functions[key] = nil
                }
                for trigger in triggers { model.tables[trigger.object]?.triggers.removeAll { $0.name == trigger.detail } }
            case .extension:
                model.extensions.remove(name.name)
            case .trigger(let tableName):
                if let table = resolve(tableName, in: model.tables) { model.tables[table]?.triggers.removeAll { $0.name == name.name } }
            case .other:
                model.unmodelled.append(UnmodelledStatement(kind: "DropStmt", origin: origin(offset)))
            }
        }
    }

    /// `DROP TABLE a, b`: Postgres checks every dependency before dropping anything; objects
    /// dropped by the same statement do not count.
    private mutating func dropTables(_ drop: Drop, at offset: Int) {
        var tables: [ObjectName] = []
        for name in drop.names {
            guard let table = resolve(name, in: model.tables) else {
                if !drop.ifExists, !isTemporary(name) { issue("DROP TABLE of unknown table \(name)", at: offset) }
                continue
            }
            tables.append(table)
        }
        let dropped = Set(tables + tables.flatMap { descendants(of: $0).filter { model.tables[$0]?.partitionOf != nil } })
        var dependentsOf: [ObjectName: [Dependent]] = [:]
        var blockingOf: [ObjectName: [Dependent]] = [:]
        for table in tables {
            let dependents = dependents(ofTable: table)
            dependentsOf[table] = dependents
            // Inheritance children (not partitions, which go along) depend on their parent.
            blockingOf[table] = dependents.filter { $0.kind != .grant && !dropped.contains($0.object) }
                + children(of: table).filter { model.tables[$0]?.inheritsFrom.contains(table) == true && !dropped.contains($0) }
                    .map { Dependent(kind: .inheritance, object: $0, detail: "") }
        }
        let blocking = tables.flatMap { blockingOf[$0] ?? [] }
        if !blocking.isEmpty, !drop.cascade {
            let names = tables.map(\.display).joined(separator: ", ")
            return issue("DROP TABLE \(names): \(blocking.map(\.description).joined(separator: ", ")) "
                         + "depends on it; Postgres refuses the drop without CASCADE", at: offset, kind: .dependents)
        }
        for table in tables {
            record(.dropTable(cascaded: (blockingOf[table] ?? []).map(\.description)), object: table, table: table, at: offset, length: "DROP".count,
                   dependents: dependentsOf[table] ?? [])
        }
        for table in tables {
            if drop.cascade {
                for view in viewsDependingOn(table) { dropViewCascading(view) }
                // CASCADE drops inheritance children too (without it, they block the drop).
                for child in blocking where child.kind == .inheritance && model.tables[child.object] != nil { dropTable(child.object) }
            }
            dropTable(table)
        }
    }

    private mutating func dropViews(_ drop: Drop, at offset: Int) {
        var views: [ObjectName] = []
        for name in drop.names {
            guard let view = resolve(name, in: model.views) else {
                if !drop.ifExists { issue("DROP VIEW of unknown view \(name)", at: offset) }
                continue
            }
            views.append(view)
        }
        let blocking = views.flatMap { view in viewsDependingOn(view).filter { !views.contains($0) } }
        if !blocking.isEmpty, !drop.cascade {
            return issue("DROP VIEW \(views.map(\.display).joined(separator: ", ")): \(blocking.map { "view \($0.display)" }.joined(separator: ", ")) "
                         + "depends on it; Postgres refuses the drop without CASCADE", at: offset, kind: .dependents)
        }
        for view in views {
            record(.dropView(materialized: model.views[view]?.materialized ?? false, cascaded: viewsDependingOn(view).map { "view \($0.display)" }),
                   object: view, table: view, at: offset, length: "DROP".count, dependents: dependents(ofTable: view))
        }
        for view in views { dropViewCascading(view) }
    }

    /// Drops a view and the views built on it (CASCADE), each once.
    mutating func dropViewCascading(_ view: ObjectName) {
        var queue = [view]
        var seen: Set<ObjectName> = [view]
        while let next = queue.popLast() {
            for dependent in viewsDependingOn(next) where seen.insert(dependent).inserted { queue.append(dependent) }
            dropView(next)
        }
    }

    func triggersCalling(_ function: ObjectName) -> [Dependent] {
        model.tables.values.flatMap { table in
            table.triggers.filter { $0.function == function || (function.schema == nil && $0.function.name == function.name) }
                .map { Dependent(kind: .trigger, object: table.name, detail: $0.name) }
        }.sorted { ($0.object, $0.detail) < ($1.object, $1.detail) }
    }

    /// What `DROP SCHEMA` without CASCADE would find in it.
    func objects(inSchema schema: String) -> [String] {
        let tables = model.tables.keys.filter { $0.schema == schema }.sorted().map { "table \($0.display)" }
        let views = model.views.keys.filter { $0.schema == schema }.sorted().map { "view \($0.display)" }
        let types = model.types.keys.filter { $0.schema == schema }.sorted().map { "type \($0.display)" }
        let functions = model.functions.values.filter { $0.name.schema == schema }.map { "function \($0.signature)" }.sorted()
        let sequences = model.sequences.values.filter { $0.name.schema == schema && $0.ownedBy == nil }.map { "sequence \($0.name.display)" }.sorted()
        return tables + views + types + functions + sequences
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
