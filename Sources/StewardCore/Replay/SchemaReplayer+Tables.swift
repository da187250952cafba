import StewardSQL

// CREATE TABLE, ALTER TABLE (columns, partitions), DROP TABLE.
extension SchemaReplayer {
    mutating func createTable(_ create: CreateTable, at offset: Int) {
        let name = qualifyForCreation(create.name)
        if create.isTemporary { temporaryTables.insert(create.name.name); return }
        if model.tables.index(forKey: name) != nil || model.views.index(forKey: name) != nil {
            if !create.ifNotExists { issue("CREATE TABLE \(name): a relation of that name already exists", at: offset, kind: .duplicate) }
            return
        }
        if model.schemas[name.schema!] == nil {
            // A table in a schema no migration created: keep modelling (the replay issue about
            // the unknown schema is Postgres's to raise; the table is what rules care about).
            model.schemas[name.schema!] = .some(nil)
            refreshEffectivePath()
        }
        model.everCreatedTables.insert(name)
        var table = Table(name: name, columns: [], constraints: [], triggers: [], comment: nil, partitionOf: nil, inheritsFrom: [],
                          isPartitioned: create.isPartitioned, isUnlogged: create.isUnlogged, origin: origin(create.offset), owner: nil,
                          managedBy: nil)
        var inheritedConstraints: [Constraint] = []
        if let parent = create.partitionOf {
            if let parentName = resolve(parent, in: model.tables), let parentTable = model.tables[parentName] {
                table.partitionOf = parentName
                tablesWithChildren.insert(parentName)
                table.columns = parentTable.columns.map { var column = $0; column.origin = table.origin; return column }
                inheritedConstraints = parentTable.constraints
            } else {
                issue("CREATE TABLE \(name) PARTITION OF unknown table \(parent)", at: offset)
            }
        }
        for parent in create.inherits + create.likeTables {
            guard let parentName = resolve(parent, in: model.tables), let parentTable = model.tables[parentName] else {
                issue("CREATE TABLE \(name) copies columns of unknown table \(parent)", at: offset)
                continue
            }
            if create.inherits.contains(parent) {
                table.inheritsFrom.append(parentName)
                tablesWithChildren.insert(parentName)
            }
            for column in parentTable.columns where table.column(named: column.name) == nil {
                var copied = column
                copied.origin = table.origin
                table.columns.append(copied)
            }
        }
        // The table's name is taken before its serial sequences are named; its columns are
        // collected here and stored once.
        model.tables[name] = table
        var pending: [ConstraintDefinition] = []
        // Room for every column at once (see `addConstraints`).
        table.columns.reserveCapacity(table.columns.count + create.columns.count)
        // By index: `for definition in` would copy each definition (its strings retained).
        for position in create.columns.indices {
            let columnName = create.columns[position].name
            if let existing = table.columns.firstIndex(where: { $0.name == columnName }) {
                // PARTITION OF / INHERITS: a column definition only adds defaults and constraints.
                let definition = create.columns[position]
                if definition.notNull { table.columns[existing].notNull = true }
                if let expression = definition.defaultExpression {
                    table.columns[existing].defaultExpression = storedDefault(expression, isNull: definition.defaultIsNull, of: table.columns[existing])
                    table.columns[existing].defaultIsUntypedLiteral = definition.defaultIsUntypedLiteral
                }
            } else {
                table.columns.append(makeColumn(create.columns[position], table: name))
            }
            if !create.columns[position].constraints.isEmpty { pending += create.columns[position].constraints }
        }
        inTable(name) { $0.columns = table.columns }
        pending += create.constraints
        addConstraints(pending, to: name)
        if table.partitionOf != nil { clonePartitionConstraints(inheritedConstraints, into: name) }
    }

    mutating func makeColumn(_ definition: ColumnDefinition, table: ObjectName) -> Column {
        var column = Column(name: definition.name, type: interned(formatType(definition.type)), notNull: definition.notNull,
                            defaultExpression: definition.defaultExpression, defaultIsUntypedLiteral: definition.defaultIsUntypedLiteral,
                            identity: definition.identity,
                            trackedGenerated: definition.generated, comment: nil,
                            origin: origin(definition.offset))
        noteUnmodified(definition.type, formatted: column.type)
        column.defaultExpression = storedDefault(column.defaultExpression, isNull: definition.defaultIsNull, of: column)
        if definition.type.isSerial || definition.identity != nil {
            // serial and identity columns are NOT NULL and own a sequence named like an index would be.
            column.notNull = true
            let sequence = PostgresNaming.choose(table.name, definition.name, "seq") { relationNameTaken(table.schema!, $0) }
            let sequenceName = ObjectName(schema: table.schema, name: sequence)
            model.sequences[sequenceName] = SequenceObject(name: sequenceName, ownedBy: table, ownedByColumn: definition.name, origin: column.origin)
            sequencesOf.add(sequenceName, to: table)
            if definition.type.isSerial {
                // The regclass literal names the sequence as `regclassout` prints it: quoted where
                // needed, qualified outside `public`.
                let qualified = DataType.formatUserType(sequenceName)
                column.defaultExpression = "nextval('\(qualified.doubling("'"))'::regclass)"
            }
        }
        return column
    }

    mutating func setNotNull(_ table: ObjectName, _ column: String, _ value: Bool) {
        inTable(table) { stored in
            if let index = stored.columns.firstIndex(where: { $0.name == column }) { stored.columns[index].notNull = value }
        }
    }

    mutating func alterTable(_ alter: AlterTable, at offset: Int) {
        switch alter.relationKind {
        case .table, .foreignTable: break
        case .view, .materializedView, .index, .sequence, .type:
            // ALTER VIEW/INDEX/SEQUENCE … (owner, options): nothing the model tracks.
            return
        }
        guard let name = resolve(alter.name, in: model.tables) else {
            if !alter.ifExists, !isTemporary(alter.name) { issue("ALTER TABLE of unknown table \(alter.name)", at: offset) }
            return
        }
        var pendingConstraints: [ConstraintDefinition] = []
        for action in alter.actions {
            applyColumnAction(action, to: name, at: offset, tableOffset: alter.offset, constraints: &pendingConstraints)
        }
        recordConstraintChanges(pendingConstraints, on: name)
        addConstraints(pendingConstraints, to: name)
    }

    /// ADD CONSTRAINT on an existing table: the lock it takes depends on its kind and on
    /// NOT VALID; a new primary key replaces none or changes the key.
    mutating func recordConstraintChanges(_ definitions: [ConstraintDefinition], on table: ObjectName) {
        for definition in definitions {
            // An unnamed constraint is named by Postgres when it is added (after this record).
            let name = definition.name ?? ""
            let references = definition.foreignKey.map { resolve($0.table, in: model.tables) ?? qualifyForCreation($0.table) }
            record(.addConstraint(name: name, kind: definition.kind, notValid: definition.notValid, usingIndex: definition.usingIndex != nil,
                                  columns: definition.columns, references: references),
                   object: table, table: table, at: definition.offset)
            if definition.kind == .primaryKey {
                let before = inTable(table, { $0.constraints.first { $0.kind == .primaryKey }?.columns ?? [] }) ?? []
                record(.changePrimaryKey(from: before, to: definition.columns), object: table, table: table, at: definition.offset,
                       dependents: before.isEmpty ? [] : dependents(ofTable: table))
            }
        }
    }

    /// `offset`: the statement (replay issues point there); `tableOffset`: the table's name
    /// in it (changes point there: one ALTER TABLE may change several things).
    mutating func applyColumnAction(_ action: AlterTableAction, to name: ObjectName, at offset: Int, tableOffset: Int,
                                    constraints: inout [ConstraintDefinition]) {
        // Column changes on a partitioned or inherited parent reach its children too.
        let family = [name] + descendants(of: name)
        switch action {
        case .addColumn(let definition, let ifNotExists):
            if inTable(name, { $0.hasColumn(definition.name) }) == true {
                if !ifNotExists { issue("ADD COLUMN \(definition.name): column already exists in \(name)", at: offset, kind: .duplicate) }
                return
            }
            record(.addColumn(definition.name, notNull: definition.notNull,
                              hasDefault: definition.defaultExpression != nil && !definition.defaultIsNull,
                              volatileDefault: volatileCall(in: definition), storedGenerated: definition.generated != nil,
                              identity: definition.identity != nil),
                   object: name, table: name, at: definition.offset, length: definition.name.count)
            // Children share the parent's column (and its sequence, for serial/identity).
            let column = makeColumn(definition, table: name)
            for member in family { inTable(member) { $0.columns.appendGrowingByAQuarter(column) } }
            constraints += definition.constraints
        case .dropColumn(let column, let ifExists, let cascade):
            guard inTable(name, { $0.hasColumn(column) }) == true else {
                if !ifExists { issue("DROP COLUMN \(column): no such column in \(name)", at: offset) }
                return
            }
            let dependents = dependents(ofTable: name, column: column)
            let blocking = dependents.filter { $0.kind == .foreignKey }
            if !cascade, !blocking.isEmpty {
                return issue("DROP COLUMN \(column) of \(name.display): \(blocking.map(\.description).joined(separator: ", ")) depends on it; "
                             + "Postgres refuses the drop without CASCADE", at: offset, kind: .dependents)
            }
            record(.dropColumn(column, cascaded: blocking.map(\.description)), object: name, table: name, at: tableOffset,
                   length: name.name.count, dependents: dependents)
            for member in family { dropColumn(column, from: member) }
        case .alterColumnType(let column, let type, let hasUsing):
            let formatted = interned(formatType(type))
            noteUnmodified(type, formatted: formatted)
            if let before = inTable(name, { $0.column(named: column)?.type }) ?? nil, before != formatted || hasUsing {
                record(.changeColumnType(column, from: before, to: formatted,
                                         rewrites: hasUsing || ColumnTypeChange(from: before, to: formatted).rewritesTable),
                       object: name, table: name, at: tableOffset, length: name.name.count, dependents: dependents(ofTable: name, column: column))
            }
            let unmodified = unmodifiedTypes
            let changedAt = origin(offset)
            for member in family {
                updateColumn(member, column) { column in
                    // A literal default keeps the type it was stored with, now cast to the new one.
                    if column.defaultIsUntypedLiteral, let value = column.defaultExpression, column.type != formatted {
                        column.defaultExpression = "\(value)::\(unmodified[column.type] ?? column.type)"
                        column.defaultIsUntypedLiteral = false
                    }
                    if column.type != formatted { column.typeOrigin = changedAt }
                    column.type = formatted
                }
            }
        case .setNotNull(let column):
            if inTable(name, { $0.column(named: column)?.notNull }) == false {
                let checked = inTable(name) { $0.constraints.contains { $0.kind == .check && $0.validated && $0.provesNotNull(column) } } ?? false
                // Writers break on NOT NULL: the roles granted to write are who depends on it.
                record(.setNotNull(column, validatedCheck: checked), object: name, table: name, at: tableOffset, length: name.name.count,
                       dependents: grantDependents(of: name))
            }
            for member in family { setNotNull(member, column, true) }
        case .dropNotNull(let column): for member in family { setNotNull(member, column, false) }
        case .setDefault(let column, let expression, let untypedLiteral, let isNull):
            for member in family {
                guard let current = inTable(member, { $0.column(named: column) }) ?? nil else { continue }
                let stored = storedDefault(expression, isNull: isNull, of: current)
                updateColumn(member, column) {
                    $0.defaultExpression = stored
                    $0.defaultIsUntypedLiteral = untypedLiteral
                }
            }
        case .dropDefault(let column):
            if inTable(name, { $0.column(named: column)?.defaultExpression }) ?? nil != nil {
                record(.dropDefault(column), object: name, table: name, at: tableOffset, length: name.name.count,
                       dependents: grantDependents(of: name))
            }
            for member in family { updateColumn(member, column) { $0.defaultExpression = nil; $0.defaultIsUntypedLiteral = false } }
        case .addConstraint(let definition): constraints.append(definition)
        case .dropConstraint(let constraint, let ifExists, _):
            guard let dropped = inTable(name, { $0.constraints.first(where: { $0.name == constraint }) }) ?? nil else {
                if !ifExists { issue("DROP CONSTRAINT \(constraint): no such constraint on \(name)", at: offset) }
                return
            }
            if dropped.kind == .primaryKey {
                record(.changePrimaryKey(from: dropped.columns, to: []), object: name, table: name, at: tableOffset, length: name.name.count,
                       dependents: dependents(ofTable: name))
            }
            for member in family { dropConstraint(constraint, from: member) }
        case .validateConstraint(let constraint):
            inTable(name) { table in
                if let index = table.constraints.firstIndex(where: { $0.name == constraint }) { table.constraints[index].validated = true }
            }
        case .addIdentity(let column, let kind):
            updateColumn(name, column) { $0.identity = kind; $0.notNull = true }
            let sequence = PostgresNaming.choose(name.name, column, "seq") { relationNameTaken(name.schema!, $0) }
            let sequenceName = ObjectName(schema: name.schema, name: sequence)
            model.sequences[sequenceName] = SequenceObject(name: sequenceName, ownedBy: name, ownedByColumn: column, origin: origin(offset))
            sequencesOf.add(sequenceName, to: name)
        case .dropIdentity(let column): updateColumn(name, column) { $0.identity = nil }
        case .dropExpression(let column): updateColumn(name, column) { $0.trackedGenerated = nil }
        case .attachPartition(let partition):
            guard let partitionName = resolve(partition, in: model.tables) else { return issue("ATTACH PARTITION of unknown table \(partition)", at: offset) }
            if let refusal = attachRefusal(partitionName, to: name) { return issue("ATTACH PARTITION \(partitionName) to \(name): \(refusal)", at: offset, kind: .refused) }
            model.tables[partitionName]?.partitionOf = name
            tablesWithChildren.insert(name)
            let inherited = model.tables[name]?.constraints ?? []
            clonePartitionConstraints(inherited.filter { constraint in
                !(model.tables[partitionName]?.constraints.contains { $0.name == constraint.name } ?? false)
            }, into: partitionName)
        case .detachPartition(let partition):
            guard let partitionName = resolve(partition, in: model.tables) else { return }
            model.tables[partitionName]?.partitionOf = nil
            for index in model.tables[partitionName]?.constraints.indices ?? 0..<0 where model.tables[partitionName]?.constraints[index].kind == .foreignKey {
                // Detached partitions keep the cloned foreign keys as their own constraints.
                model.tables[partitionName]?.constraints[index].inherited = false
            }
        case .inherit(let parent):
            guard let parentName = resolve(parent, in: model.tables) else { return issue("INHERIT of unknown table \(parent)", at: offset) }
            // Postgres: "circular inheritance not allowed".
            if parentName == name || descendants(of: name).contains(parentName) {
                return issue("INHERIT \(parentName): circular inheritance is not allowed (\(name) would inherit from itself)", at: offset, kind: .refused)
            }
            guard model.tables[name]?.partitionOf == nil, model.tables[parentName]?.isPartitioned == false,
                  model.tables[name]?.inheritsFrom.contains(parentName) == false else {
                return issue("INHERIT \(parentName): Postgres refuses it for \(name)", at: offset, kind: .refused)
            }
            model.tables[name]?.inheritsFrom.append(parentName)
            tablesWithChildren.insert(parentName)
        case .noInherit(let parent):
            guard let parentName = resolve(parent, in: model.tables), model.tables[name]?.inheritsFrom.contains(parentName) == true else {
                return issue("NO INHERIT \(parent): \(name) does not inherit from it", at: offset, kind: .refused)
            }
            model.tables[name]?.inheritsFrom.removeAll { $0 == parentName }
        case .rewrite(let form):
            record(.rewrite(form), object: name, table: name, at: tableOffset, length: name.name.count)
        case .changeOwner, .other: break
        }
    }

    /// Why Postgres refuses to attach `partition` to `parent`, or nil if it accepts.
    private func attachRefusal(_ partition: ObjectName, to parent: ObjectName) -> String? {
        guard let table = model.tables[partition], let parentTable = model.tables[parent] else { return "unknown table" }
        if partition == parent || descendants(of: partition).contains(parent) {
            return "a table cannot be attached to itself or to one of its own partitions"
        }
        if !parentTable.isPartitioned { return "\(parent) is not partitioned" }
        if table.partitionOf != nil { return "\(partition) is already a partition" }
        if !table.inheritsFrom.isEmpty { return "\(partition) inherits from another table" }
        return nil
    }

    mutating func updateColumn(_ table: ObjectName, _ column: String, _ change: (inout Column) -> Void) {
        inTable(table) { table in
            guard let index = table.columns.firstIndex(where: { $0.name == column }) else { return }
            change(&table.columns[index])
        }
    }

    /// Reads or changes a table where the model keeps it. `model.tables[name]?.…` would copy
    /// the whole table out first (a retain and a release of each of its strings and arrays),
    /// for every column an ALTER TABLE touches.
    @discardableResult
    mutating func inTable<Result>(_ name: ObjectName, _ body: (inout Table) -> Result) -> Result? {
        Self.inPlace(name, in: &model.tables, body)
    }

    /// `inTable` for any of the model's dictionaries by name (indexes, sequences, views, types):
    /// nil when `key` is not there.
    @discardableResult
    static func inPlace<Value, Result>(_ key: ObjectName, in values: inout [ObjectName: Value], _ body: (inout Value) -> Result) -> Result? {
        guard let index = values.index(forKey: key) else { return nil }
        return inPlace(&values.values[index], body)
    }

    /// Reads a value of one of the model's dictionaries where it is: `values[index].field`
    /// copies the whole value out first, even to read one field, where an `inout` access goes
    /// through the dictionary's `_modify` and copies nothing.
    static func inPlace<Value, Result>(_ value: inout Value, _ body: (inout Value) -> Result) -> Result { body(&value) }

    /// One string per distinct column type: `character varying(255)` and the like are longer
    /// than Swift keeps inline, and ~50k columns would each hold their own copy.
    mutating func interned(_ type: String) -> String {
        guard type.utf8.count > 15 else { return type }
        if let index = columnTypes.firstIndex(of: type) { return columnTypes[index] }
        columnTypes.insert(type)
        return type
    }

    /// Remembers a built-in type with modifiers and the same type without them.
    mutating func noteUnmodified(_ type: DataType, formatted: String) {
        if type.userType == nil, type.unmodified != formatted { unmodifiedTypes[formatted] = type.unmodified }
    }

    /// `DEFAULT NULL` is stored only when coercing NULL to the column's type is more than a
    /// constant: when the type has modifiers (a length coercion) or is a domain
    /// (CoerceToDomain). Postgres's AddRelationNewConstraints skips a plain NULL constant.
    func storedDefault(_ expression: String?, isNull: Bool, of column: Column) -> String? {
        guard isNull else { return expression }
        let hasModifiers = unmodifiedTypes[column.type] != nil
        let isDomain = model.types.values.contains { $0.kind == .domain && DataType.formatUserType($0.name) == column.type }
        return hasModifiers || isDomain ? expression : nil
    }

    /// Postgres drops the indexes and constraints that use a dropped column, the sequences it
    /// owns, and (with CASCADE) foreign keys of other tables that reference it.
    mutating func dropColumn(_ column: String, from table: ObjectName) {
        inTable(table) { $0.columns.removeAll { $0.name == column } }
        for sequence in sequences(ownedBy: table, column: column) { model.sequences[sequence] = nil }
        let doomed = inTable(table) { stored in
            stored.constraints.filter { $0.columns.contains(column) || $0.expressionColumns.contains(column) }.map(\.name)
        } ?? []
        for constraint in doomed { dropConstraint(constraint, from: table) }
        for key in indexKeys(of: table) where Self.inPlace(key, in: &model.indexes, { $0.dependsOn(column) }) == true {
            model.indexes[key] = nil
        }
        for other in tablesReferencing(table) {
            inTable(other) { $0.constraints.removeAll { $0.references?.table == table && $0.references?.columns.contains(column) == true } }
        }
    }

    /// Drops a table and, as Postgres does, its partitions (recursively); inheritance
    /// children stay and lose the parent. Iterative and cycle-safe: a model that somehow
    /// holds a cycle cannot make it recurse.
    mutating func dropTable(_ table: ObjectName) {
        var doomed: [ObjectName] = []
        var seen: Set<ObjectName> = [table]
        var queue = [table]
        while let next = queue.popLast() {
            doomed.append(next)
            for child in children(of: next) {
                if model.tables[child]?.partitionOf == next {
                    if seen.insert(child).inserted { queue.append(child) }
                } else {
                    model.tables[child]?.inheritsFrom.removeAll { $0 == next }
                }
            }
        }
        for member in doomed.reversed() { dropSingleTable(member) }
    }

    private mutating func dropSingleTable(_ table: ObjectName) {
        for key in indexKeys(of: table) { model.indexes[key] = nil }
        for other in tablesReferencing(table) where other != table {
            inTable(other) { $0.constraints.removeAll { $0.references?.table == table } }
        }
        model.tables[table] = nil
        // Owned sequences (serial, identity) go with the table.
        for sequence in sequencesOf.values(of: table) where model.sequences[sequence]?.ownedBy == table { model.sequences[sequence] = nil }
    }
}
