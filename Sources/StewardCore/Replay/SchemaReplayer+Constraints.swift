import StewardSQL

// Constraints: Postgres's naming, backing indexes, clones on partitions.
extension SchemaReplayer {
    /// Adds constraints in the order Postgres names them: CHECK first (named when the
    /// relation is created), then PRIMARY KEY, then UNIQUE/EXCLUDE, then FOREIGN KEY.
    mutating func addConstraints(_ definitions: [ConstraintDefinition], to tableName: ObjectName) {
        let order: [ConstraintDefinition.Kind] = [.check, .primaryKey, .unique, .exclusion, .foreignKey]
        let definitions = withoutRedundantIndexes(definitions)
        // Room for them all at once: appended one by one, the array would double its capacity
        // as it grows and keep the spare room until the replay ends (`SchemaModel.trimArrays`).
        if definitions.count > 1 { inTable(tableName) { $0.constraints.reserveCapacity($0.constraints.count + definitions.count) } }
        for kind in order {
            for definition in definitions where definition.kind == kind { addConstraint(definition, to: tableName) }
        }
    }

    /// Postgres's `transformIndexConstraints`: within one statement, a UNIQUE constraint whose
    /// index would equal an earlier one (the primary key first) is not created; the kept one
    /// takes its name if it had none. So `id int PRIMARY KEY UNIQUE` has only `t_pkey`.
    private func withoutRedundantIndexes(_ definitions: [ConstraintDefinition]) -> [ConstraintDefinition] {
        let indexKinds: [ConstraintDefinition.Kind] = [.primaryKey, .unique]
        let candidates = definitions.indices.filter { indexKinds.contains(definitions[$0].kind) && definitions[$0].usingIndex == nil }
        guard candidates.count > 1 else { return definitions }
        // The primary key is considered first, then the others in statement order.
        let ordered = candidates.filter { definitions[$0].kind == .primaryKey } + candidates.filter { definitions[$0].kind != .primaryKey }
        var result = definitions
        var kept: [Int] = []
        var elided = Set<Int>()
        for candidate in ordered {
            let definition = definitions[candidate]
            if let prior = kept.first(where: { result[$0].columns == definition.columns && result[$0].deferrable == definition.deferrable }) {
                if result[prior].name == nil { result[prior].name = definition.name }
                elided.insert(candidate)
            } else {
                kept.append(candidate)
            }
        }
        return result.indices.filter { !elided.contains($0) }.map { result[$0] }
    }

    mutating func addConstraint(_ definition: ConstraintDefinition, to tableName: ObjectName) {
        // Checked in place: a copy of the constraints held here would make the append below copy them all.
        enum Conflict { case none, sameName, secondPrimaryKey }
        guard let conflict = inTable(tableName, { stored -> Conflict in
            if let name = definition.name, stored.constraints.contains(where: { $0.name == name }) { return .sameName }
            if definition.kind == .primaryKey, stored.constraints.contains(where: { $0.kind == .primaryKey }) { return .secondPrimaryKey }
            return .none
        }) else { return }
        switch conflict {
        case .none:
            break
        case .sameName:
            return issue("ADD CONSTRAINT \(definition.name ?? ""): \(tableName) already has a constraint of that name", at: definition.offset, kind: .duplicate)
        case .secondPrimaryKey:
            return issue("PRIMARY KEY: multiple primary keys for table \(tableName) are not allowed", at: definition.offset, kind: .duplicate)
        }
        let schema = tableName.schema!
        var columns = definition.columns
        if let indexName = definition.usingIndex, let index = model.indexes[ObjectName(schema: schema, name: indexName)] {
            columns = index.keys.map { $0.column ?? "" }
        }
        let name: String
        switch definition.kind {
        case .check:
            name = definition.name ?? PostgresNaming.choose(tableName.name, definition.expressionColumns.count == 1 ? definition.expressionColumns[0] : nil, "check") {
                constraintNameTaken(schema, $0)
            }
        case .foreignKey:
            name = definition.name ?? PostgresNaming.choose(tableName.name, PostgresNaming.addition(columns), "fkey") {
                constraintNameTaken(schema, $0)
            }
        case .primaryKey:
            name = definition.name ?? PostgresNaming.choose(tableName.name, nil, "pkey") {
                relationNameTaken(schema, $0) || constraintNameTaken(schema, $0)
            }
        case .unique, .exclusion:
            name = definition.name ?? PostgresNaming.choose(tableName.name, PostgresNaming.addition(columns), definition.kind == .unique ? "key" : "excl") {
                relationNameTaken(schema, $0) || constraintNameTaken(schema, $0)
            }
        }
        var references: ForeignKeyTarget?
        var referencesOrigin: Origin?
        if let foreignKey = definition.foreignKey {
            let target = resolve(foreignKey.table, in: model.tables) ?? qualifyForCreation(foreignKey.table)
            var targetColumns = foreignKey.columns
            if targetColumns.isEmpty, let primaryKey = inTable(target, { $0.constraints.first { $0.kind == .primaryKey } }) ?? nil {
                targetColumns = primaryKey.columns
            }
            references = ForeignKeyTarget(table: target, columns: targetColumns, onDelete: foreignKey.onDelete, onUpdate: foreignKey.onUpdate)
            referencesOrigin = origin(foreignKey.referencesOffset)
            if model.tables.index(forKey: target) == nil { issue("foreign key \(name) references unknown table \(foreignKey.table)", at: definition.offset) }
        }
        let constraint = Constraint(name: name, kind: definition.kind, columns: columns, references: references,
                                    trackedExpression: definition.trackedExpression, expressionColumns: definition.expressionColumns,
                                    validated: !definition.notValid, inherited: false, origin: origin(definition.offset),
                                    referencesOrigin: referencesOrigin)
        inTable(tableName) { $0.constraints.appendGrowingByAQuarter(constraint) }
        noteConstraintName(tableName.schema, name)
        if let references { referencers.add(tableName, to: references.table) }
        if definition.kind == .primaryKey {
            for column in columns { setNotNull(tableName, column, true) }
        }
        if definition.kind == .primaryKey || definition.kind == .unique || definition.kind == .exclusion {
            let indexKey = ObjectName(schema: schema, name: name)
            if let existing = definition.usingIndex {
                // USING INDEX renames the index to the constraint's name.
                let old = ObjectName(schema: schema, name: existing)
                if var index = model.indexes.removeValue(forKey: old) {
                    index.name = indexKey
                    index.constraint = name
                    model.indexes[indexKey] = index
                    indexesOf.add(indexKey, to: tableName)
                }
            } else {
                indexesOf.add(indexKey, to: tableName)
                model.indexes[indexKey] = Index(name: indexKey, table: tableName, keys: columns.map { IndexKey(column: $0) },
                                                expressionColumns: [], unique: definition.kind != .exclusion,
                                                method: "btree", trackedPredicate: nil, constraint: name, origin: constraint.origin)
            }
        }
        for child in children(of: tableName) where definition.kind == .foreignKey || definition.kind == .check {
            if model.tables[child]?.partitionOf == tableName { clonePartitionConstraints([constraint], into: child) }
        }
    }

    /// A partition gets its parent's foreign keys and checks under the same names, and its
    /// own index for each PRIMARY KEY / UNIQUE constraint.
    mutating func clonePartitionConstraints(_ constraints: [Constraint], into partition: ObjectName) {
        for constraint in constraints {
            switch constraint.kind {
            case .foreignKey, .check:
                var clone = constraint
                clone.inherited = true
                model.tables[partition]?.constraints.append(clone)
                noteConstraintName(partition.schema, clone.name)
                if let target = clone.references?.table { referencers.add(partition, to: target) }
            case .primaryKey, .unique, .exclusion:
                addConstraint(ConstraintDefinition(kind: constraint.kind, columns: constraint.columns), to: partition)
                if let index = model.tables[partition]?.constraints.indices.last { model.tables[partition]?.constraints[index].inherited = true }
            }
        }
    }

    mutating func dropConstraint(_ name: String, from table: ObjectName) {
        guard let constraint = inTable(table, { stored -> Constraint? in
            guard let position = stored.constraints.firstIndex(where: { $0.name == name }) else { return nil }
            let constraint = stored.constraints[position]
            stored.constraints.removeAll { $0.name == name }
            return constraint
        }) ?? nil else { return }
        if constraint.kind == .primaryKey || constraint.kind == .unique || constraint.kind == .exclusion {
            model.indexes[ObjectName(schema: table.schema, name: name)] = nil
        }
    }
}
