import StewardSQL

// Renames and SET SCHEMA: an object moves to a new key and what referred to it follows.
extension SchemaReplayer {
    mutating func rename(_ rename: Rename, at offset: Int) {
        switch rename.target {
        case .table:
            guard let old = resolve(rename.object, in: model.tables) else {
                if !rename.ifExists { issue("RENAME of unknown table \(rename.object)", at: offset) }
                return
            }
            let new = ObjectName(schema: old.schema, name: rename.newName)
            guard new == old || !relationNameTaken(old.schema!, new.name) else {
                return issue("RENAME \(old.display) TO \(rename.newName): a relation of that name already exists", at: offset, kind: .duplicate)
            }
            record(.renameTable(to: new), object: old, table: old, at: offset, length: "ALTER".count, dependents: dependents(ofTable: old))
            model.formerNames[new] = (model.formerNames.removeValue(forKey: old) ?? []) + [(old, origin(offset))]
            moveTable(old, to: new)
        case .column(let relation):
            guard let table = resolve(relation, in: model.tables) else {
                if resolve(relation, in: model.views) == nil, !rename.ifExists { issue("RENAME COLUMN of unknown table \(relation)", at: offset) }
                return
            }
            guard inTable(table, { $0.hasColumn(rename.oldName) }) == true else {
                return issue("RENAME COLUMN \(rename.oldName): no such column in \(table.display)", at: offset)
            }
            if inTable(table, { $0.hasColumn(rename.newName) }) == true {
                return issue("RENAME COLUMN \(rename.oldName) TO \(rename.newName): column already exists in \(table.display)", at: offset, kind: .duplicate)
            }
            record(.renameColumn(from: rename.oldName, to: rename.newName), object: table, table: table, at: offset, length: "ALTER".count,
                   dependents: dependents(ofTable: table, column: rename.oldName))
            for member in [table] + descendants(of: table) { renameColumn(member, from: rename.oldName, to: rename.newName) }
        case .constraint(let relation):
            guard let table = resolve(relation, in: model.tables),
                  let index = inTable(table, { $0.constraints.firstIndex { $0.name == rename.oldName } }) ?? nil else {
                return issue("RENAME CONSTRAINT \(rename.oldName): no such constraint on \(relation)", at: offset)
            }
            model.tables[table]?.constraints[index].name = rename.newName
            noteConstraintName(table.schema, rename.newName)
            let oldIndex = ObjectName(schema: table.schema, name: rename.oldName)
            if var backing = model.indexes.removeValue(forKey: oldIndex) {
                backing.name = ObjectName(schema: table.schema, name: rename.newName)
                backing.constraint = rename.newName
                model.indexes[backing.name] = backing
                indexesOf.add(backing.name, to: table)
            }
        case .index:
            guard let old = resolve(rename.object, in: model.indexes), var index = model.indexes.removeValue(forKey: old) else {
                if !rename.ifExists { issue("RENAME of unknown index \(rename.object)", at: offset) }
                return
            }
            index.name = ObjectName(schema: old.schema, name: rename.newName)
            if let constraint = index.constraint,
               let position = model.tables[index.table]?.constraints.firstIndex(where: { $0.name == constraint }) {
                // Renaming a constraint's index renames the constraint too.
                model.tables[index.table]?.constraints[position].name = rename.newName
                noteConstraintName(index.table.schema, rename.newName)
                index.constraint = rename.newName
            }
            model.indexes[index.name] = index
            indexesOf.add(index.name, to: index.table)
        case .view, .materializedView:
            guard let old = resolve(rename.object, in: model.views) else { return }
            moveView(old, to: ObjectName(schema: old.schema, name: rename.newName))
        case .sequence:
            guard let old = resolve(rename.object, in: model.sequences) else { return }
            moveSequence(old, to: ObjectName(schema: old.schema, name: rename.newName))
        case .type:
            guard let old = resolve(rename.object, in: model.types) else { return }
            moveType(old, to: ObjectName(schema: old.schema, name: rename.newName))
        case .schema:
            renameSchema(rename.oldName, to: rename.newName)
        case .trigger(let relation):
            guard let table = resolve(relation, in: model.tables),
                  let index = model.tables[table]?.triggers.firstIndex(where: { $0.name == rename.oldName }) else { return }
            model.tables[table]?.triggers[index].name = rename.newName
        case .function, .other:
            break
        }
    }

    mutating func renameColumn(_ table: ObjectName, from old: String, to new: String) {
        updateColumn(table, old) { $0.name = new }
        for sequence in sequences(ownedBy: table, column: old) { model.sequences[sequence]!.ownedByColumn = new }
        for key in viewsDependingOn(table) { model.views[key]!.queryPredatesRename = true }
        func replaced(_ columns: [String]) -> [String] { columns.map { $0 == old ? new : $0 } }
        // Postgres keeps expressions by attribute number and prints the current names: the
        // rendered text follows, unless part of it came from the deparser (then it is marked).
        // In place: `model.tables[table]!.…` would copy the whole table out for every read.
        inTable(table) { stored in
            for index in stored.constraints.indices {
                // Only a constraint that names the column is written (and so copied).
                if stored.constraints[index].expressionColumns.contains(old) {
                    if let renamed = stored.constraints[index].trackedExpression?.renamingColumn(old, to: new) {
                        stored.constraints[index].trackedExpression = renamed
                    } else {
                        stored.constraints[index].expressionPredatesRename = true
                    }
                    stored.constraints[index].expressionColumns = replaced(stored.constraints[index].expressionColumns)
                }
                if stored.constraints[index].columns.contains(old) { stored.constraints[index].columns = replaced(stored.constraints[index].columns) }
            }
            for index in stored.columns.indices {
                guard let generated = stored.columns[index].trackedGenerated,
                      let renamed = generated.renamingColumn(old, to: new) else { continue }
                stored.columns[index].trackedGenerated = renamed
            }
        }
        // Changed in place, and only an index that reads the column.
        for key in indexKeys(of: table) {
            Self.inPlace(key, in: &model.indexes) { index in
                guard index.dependsOn(old) else { return }
                var followed = true
                index.keys = index.keys.map { indexKey in
                    if indexKey.column == old { return IndexKey(column: new) }
                    guard let tracked = indexKey.trackedExpression else { return indexKey }
                    guard let renamed = tracked.renamingColumn(old, to: new) else {
                        followed = false
                        return indexKey
                    }
                    return IndexKey(expression: renamed)
                }
                if let predicate = index.trackedPredicate {
                    if let renamed = predicate.renamingColumn(old, to: new) {
                        index.trackedPredicate = renamed
                    } else {
                        followed = false
                    }
                }
                if !followed { index.expressionPredatesRename = true }
                index.expressionColumns = replaced(index.expressionColumns)
            }
        }
        for other in tablesReferencing(table) {
            inTable(other) { stored in
                for index in stored.constraints.indices where stored.constraints[index].references?.table == table {
                    stored.constraints[index].references!.columns = replaced(stored.constraints[index].references!.columns)
                }
            }
        }
    }

    /// After a table is renamed or moved, everything that pointed at it follows.
    mutating func retargetTable(from old: ObjectName, to new: ObjectName) {
        for constraint in inTable(new, { $0.constraints }) ?? [] {
            noteConstraintName(new.schema, constraint.name)
            if let target = constraint.references?.table { referencers.add(new, to: target) }
        }
        for key in indexesOf.values(of: old) {
            let moved = Self.inPlace(key, in: &model.indexes) { index in
                guard index.table == old else { return false }
                index.table = new
                return true
            }
            if moved == true { indexesOf.add(key, to: new) }
        }
        // The reverse index's values are distinct and sorted; `new` joins them at its place.
        var referencing = referencers.values(of: old)
        referencing.insertSorted(new)
        for other in referencing {
            let retargeted = inTable(other) { stored in
                var retargeted = false
                for index in stored.constraints.indices where stored.constraints[index].references?.table == old {
                    stored.constraints[index].references!.table = new
                    retargeted = true
                }
                return retargeted
            } ?? false
            if retargeted { referencers.add(other, to: new) }
        }
        if tablesWithChildren.contains(old) {
            tablesWithChildren.insert(new)
            for child in children(of: old) {
                if model.tables[child]!.partitionOf == old { model.tables[child]!.partitionOf = new }
                model.tables[child]!.inheritsFrom = model.tables[child]!.inheritsFrom.map { $0 == old ? new : $0 }
            }
        }
        for key in viewsDependingOn(old) {
            model.views[key]!.reads = model.views[key]!.reads.map { $0 == old ? new : $0 }
            model.views[key]!.queryPredatesRename = true
            viewsReading.add(key, to: new)
        }
        for key in sequencesOf.values(of: old) where model.sequences[key]?.ownedBy == old {
            model.sequences[key]!.ownedBy = new
            sequencesOf.add(key, to: new)
        }
    }

    mutating func retypeColumns(from old: String, to new: String) {
        for key in model.tables.keys {
            for index in model.tables[key]!.columns.indices {
                let type = model.tables[key]!.columns[index].type
                if type == old { model.tables[key]!.columns[index].type = new }
                else if type == old + "[]" { model.tables[key]!.columns[index].type = new + "[]" }
            }
        }
    }

    mutating func renameSchema(_ old: String, to new: String) {
        guard model.schemas[old] != nil else { return }
        model.schemas[new] = model.schemas.removeValue(forKey: old) ?? nil
        refreshEffectivePath()
        func moved(_ name: ObjectName) -> ObjectName { name.schema == old ? ObjectName(schema: new, name: name.name) : name }
        for key in model.tables.keys.filter({ $0.schema == old }) { moveTable(key, to: moved(key)) }
        for key in model.types.keys.filter({ $0.schema == old }) {
            var type = model.types.removeValue(forKey: key)!
            type.name = moved(key)
            model.types[type.name] = type
            retypeColumns(from: DataType.formatUserType(key), to: DataType.formatUserType(type.name))
        }
        model.indexes = Dictionary(uniqueKeysWithValues: model.indexes.map { key, index in
            var index = index
            index.name = moved(key)
            return (index.name, index)
        })
        model.views = Dictionary(uniqueKeysWithValues: model.views.map { key, view in
            var view = view
            view.name = moved(key)
            return (view.name, view)
        })
        model.sequences = Dictionary(uniqueKeysWithValues: model.sequences.map { key, sequence in
            var sequence = sequence
            sequence.name = moved(key)
            return (sequence.name, sequence)
        })
        rebuildReverseIndexes()
    }

    /// After a schema rename every key changed; renames of whole schemas are rare enough to rebuild.
    mutating func rebuildReverseIndexes() {
        indexesOf = ReverseIndex()
        sequencesOf = ReverseIndex()
        referencers = ReverseIndex()
        viewsReading = ReverseIndex()
        for index in model.indexes.values { indexesOf.add(index.name, to: index.table) }
        for view in model.views.keys { noteReads(of: view) }
        for sequence in model.sequences.values { if let owner = sequence.ownedBy { sequencesOf.add(sequence.name, to: owner) } }
        for table in model.tables.values {
            for target in table.constraints.compactMap(\.references?.table) { referencers.add(table.name, to: target) }
        }
    }

    mutating func setSchema(_ alter: AlterObjectSchema, at offset: Int) {
        switch alter.kind {
        case .table, .foreignTable:
            guard let old = resolve(alter.name, in: model.tables) else {
                return issue("SET SCHEMA of unknown table \(alter.name)", at: offset)
            }
            let new = ObjectName(schema: alter.newSchema, name: old.name)
            moveTable(old, to: new)
            // Indexes move with their table.
            for key in indexKeys(of: new) {
                var moved = model.indexes.removeValue(forKey: key)!
                moved.name = ObjectName(schema: alter.newSchema, name: key.name)
                model.indexes[moved.name] = moved
                indexesOf.add(moved.name, to: new)
            }
        case .type:
            guard let old = resolve(alter.name, in: model.types) else { return }
            moveType(old, to: ObjectName(schema: alter.newSchema, name: old.name))
        case .view, .materializedView:
            guard let old = resolve(alter.name, in: model.views) else { return }
            moveView(old, to: ObjectName(schema: alter.newSchema, name: old.name))
        case .sequence:
            guard let old = resolve(alter.name, in: model.sequences) else { return }
            moveSequence(old, to: ObjectName(schema: alter.newSchema, name: old.name))
        case .index:
            break
        }
    }

    // Renames and SET SCHEMA move an object to a new key; what referred to it follows.

    mutating func moveTable(_ old: ObjectName, to new: ObjectName) {
        guard var table = model.tables.removeValue(forKey: old) else { return }
        table.name = new
        model.tables[new] = table
        model.everCreatedTables.insert(new)
        retargetTable(from: old, to: new)
    }

    mutating func moveType(_ old: ObjectName, to new: ObjectName) {
        guard var type = model.types.removeValue(forKey: old) else { return }
        type.name = new
        model.types[new] = type
        retypeColumns(from: DataType.formatUserType(old), to: DataType.formatUserType(new))
    }

    mutating func moveView(_ old: ObjectName, to new: ObjectName) {
        guard var view = model.views.removeValue(forKey: old) else { return }
        view.name = new
        model.views[new] = view
        noteReads(of: new)
        retargetTable(from: old, to: new)
    }

    mutating func moveSequence(_ old: ObjectName, to new: ObjectName) {
        guard var sequence = model.sequences.removeValue(forKey: old) else { return }
        sequence.name = new
        model.sequences[new] = sequence
    }
}
