import StewardSQL

/// Applies parsed migrations, in order, to a `SchemaModel` the way Postgres would.
///
/// `search_path` is reset at the start of every file: migration tools run files on pooled
/// or fresh connections, and psql runs each file in its own session.
public struct SchemaReplayer: Sendable {
    public private(set) var model = SchemaModel()
    private var searchPath: [String] = ["$user", "public"] { didSet { refreshEffectivePath() } }
    /// Schemas of the search path that exist (`$user` names no schema in migrations). Kept up
    /// to date rather than computed: every unqualified name is resolved along it.
    private var effectivePath: [String] = ["public"]
    private var path = ""
    private var source = SourceText(bytes: [])
    /// Superset of (schema, constraint name) pairs ever present; see `constraintNameTaken`.
    private var constraintNamesEverUsed = Set<ObjectName>()
    /// Superset of tables that ever had partitions or inheritance children.
    private var tablesWithChildren = Set<ObjectName>()
    /// Reverse indexes that keep drops and renames from scanning the whole model. Like the
    /// sets above they are supersets: entries may be stale, and every use checks the model.
    private var referencers = ReverseIndex()
    private var indexesOf = ReverseIndex()
    private var sequencesOf = ReverseIndex()
    private var viewsReading = ReverseIndex()
    /// While replaying a DO block's statements: their own text, and the file line it starts on.
    private var embedded: (source: SourceText, firstLine: Int)?

    public init() {}

    /// Starts a new file: later statements' locations refer to it, and search_path is reset.
    public mutating func begin(_ file: MigrationFile) {
        path = file.path
        source = file.source
        searchPath = ["$user", "public"]
    }

    /// Replays statements of the current file (a file may arrive in several chunks).
    public mutating func apply(_ statements: [ParsedStatement]) {
        for statement in statements {
            model.statementCount += 1
            if case .doBlock(let block) = statement.statement {
                applyDoBlock(block, range: statement.range)
            } else {
                apply(statement.statement, at: statement.range.lowerBound)
            }
        }
    }

    public mutating func recordGaps(_ gaps: [MigrationGap]) { model.gaps += gaps }

    /// The finished model, moved out so that the caller holds its only reference: ownership
    /// then updates tables in place instead of copying every one of them.
    public mutating func takeModel() -> SchemaModel {
        defer { model = SchemaModel() }
        return model
    }

    /// The bookkeeping table a tool creates before the first migration runs; migrations
    /// sometimes alter it (Harbor adds a column to golang-migrate's table).
    public mutating func seedToolTables(for layout: MigrationLayout) {
        let origin = Origin(path: "(\(layout.rawValue))", line: 1, column: 1)
        func column(_ name: String, _ type: String) -> Column {
            Column(name: name, type: type, notNull: true, defaultExpression: nil, identity: nil, generated: nil, comment: nil, origin: origin)
        }
        let columns: [Column]
        switch layout {
        case .golangMigrate: columns = [column("version", "bigint"), column("dirty", "boolean")]
        case .dbmate: columns = [column("version", "character varying")]
        default: return
        }
        let name = ObjectName(schema: "public", name: "schema_migrations")
        let primaryKey = Constraint(name: "schema_migrations_pkey", kind: .primaryKey, columns: ["version"], references: nil, expression: nil,
                                    expressionColumns: [], validated: true, inherited: false, origin: origin, referencesOrigin: nil)
        noteConstraintName(name.schema, primaryKey.name)
        model.tables[name] = Table(name: name, columns: columns, constraints: [primaryKey], triggers: [], comment: nil, partitionOf: nil,
                                   inheritsFrom: [], isPartitioned: false, isUnlogged: false, origin: origin, owner: nil,
                                   managedBy: layout.rawValue)
        indexesOf.add(ObjectName(schema: "public", name: "schema_migrations_pkey"), to: name)
        model.indexes[ObjectName(schema: "public", name: "schema_migrations_pkey")] = Index(
            name: ObjectName(schema: "public", name: "schema_migrations_pkey"), table: name, columns: ["version"], unique: true,
            method: "btree", predicate: nil, constraint: "schema_migrations_pkey", origin: origin)
    }

    // MARK: Dispatch

    private mutating func apply(_ statement: Statement, at offset: Int) {
        switch statement {
        case .createTable(let create): createTable(create, at: offset)
        case .alterTable(let alter): alterTable(alter, at: offset)
        case .createIndex(let create): createIndex(create, at: offset)
        case .drop(let drop): self.drop(drop, at: offset)
        case .rename(let rename): self.rename(rename, at: offset)
        case .createView(let view): createView(view, at: offset)
        case .createEnum(let create):
            let name = qualifyForCreation(create.name)
            model.types[name] = EnumType(name: name, values: create.values, domainOf: nil, origin: origin(offset))
        case .alterEnum(let alter):
            guard let name = resolve(alter.name, in: model.types), var type = model.types[name] else {
                return issue("ALTER TYPE of unknown type \(alter.name)", at: offset)
            }
            if let added = alter.addedValue, !type.values.contains(added) { type.values.append(added) }
            if let renamed = alter.renamedValue, let index = type.values.firstIndex(of: renamed.from) { type.values[index] = renamed.to }
            model.types[name] = type
        case .createDomain(let create):
            let name = qualifyForCreation(create.name)
            model.types[name] = EnumType(name: name, values: [], domainOf: formatType(create.baseType), origin: origin(offset))
        case .createFunction(let create): createFunction(create, at: offset)
        case .createTrigger(let create):
            guard let table = resolve(create.table, in: model.tables) else {
                return issue("CREATE TRIGGER \(create.name) on unknown table \(create.table)", at: offset)
            }
            model.tables[table]?.triggers.removeAll { $0.name == create.name }
            let trigger = Trigger(name: create.name, function: resolveFunctionName(create.function), origin: origin(offset))
            model.tables[table]?.triggers.append(trigger)
        case .comment(let comment): self.comment(comment, at: offset)
        case .grant(let grant):
            let objects = grant.allInSchema ? grant.objects : grant.objects.map { resolveAnyRelation($0) ?? $0 }
            model.grants.append(GrantRecord(privileges: grant.privileges, objectKind: grant.objectKind, objects: objects,
                                            allInSchema: grant.allInSchema, grantees: grant.grantees, isGrant: grant.isGrant,
                                            origin: origin(offset)))
        case .createSchema(let create):
            if model.schemas[create.name] == nil {
                model.schemas[create.name] = origin(offset)
                refreshEffectivePath()
            }
            let saved = searchPath
            searchPath = [create.name] + searchPath
            for element in create.elements { apply(element, at: offset) }
            searchPath = saved
        case .setSearchPath(let set):
            // SET LOCAL lasts until the end of the transaction; for the rest of a migration
            // file that is the same as SET in all layouts that wrap the file in one transaction.
            searchPath = set.schemas ?? ["$user", "public"]
        case .alterObjectSchema(let alter): setSchema(alter, at: offset)
        case .createSequence(let create):
            let name = qualifyForCreation(create.name)
            if model.sequences[name] == nil { model.sequences[name] = Sequence(name: name, ownedBy: nil, origin: origin(offset)) }
        case .createExtension(let name): model.extensions.insert(name)
        case .transaction: break
        case .doBlock: model.unmodelled.append(UnmodelledStatement(kind: "DoStmt", origin: origin(offset)))
        case .other(let kind): model.unmodelled.append(UnmodelledStatement(kind: kind, origin: origin(offset)))
        }
    }

    /// DO blocks often hold idempotent DDL (`IF NOT EXISTS … THEN ALTER TABLE …`). Their
    /// statements are replayed at their line in the file. Conditions are not evaluated;
    /// instead a branch counts as taken when it applies to the model without an issue
    /// (`IF to_regclass('x') IS NOT NULL THEN ALTER TABLE x …` is skipped when x does not
    /// exist). A block with nothing Steward can follow is counted as not modelled.
    private mutating func applyDoBlock(_ block: DoBlock, range: Range<Int>) {
        let steps = block.language.lowercased() == "plpgsql" ? SQLParser.steps(inPlpgsqlBody: block.body) : []
        let statementText = source.text(range)
        let bodyStart = statementText.range(of: block.body).map { range.lowerBound + statementText.utf8.distance(from: statementText.startIndex, to: $0.lowerBound) }
        let bodyLine = bodyStart.map { source.location(ofByte: $0).line } ?? source.location(ofByte: range.lowerBound).line
        if !applySteps(steps, bodyLine: bodyLine) {
            model.unmodelled.append(UnmodelledStatement(kind: "DoStmt", origin: origin(range.lowerBound)))
        }
    }

    /// Returns whether any schema statement was replayed.
    private mutating func applySteps(_ steps: [EmbeddedStep], bodyLine: Int) -> Bool {
        var replayed = false
        for step in steps {
            switch step {
            case .statement(let statement):
                guard case .success(let parsed) = SQLParser.parse(SourceText(statement.sql)) else { continue }
                embedded = (SourceText(statement.sql), min(bodyLine + statement.line - 1, source.lineStarts.count))
                for inner in parsed {
                    if case .other = inner.statement { continue }
                    replayed = true
                    apply(inner.statement, at: inner.range.lowerBound)
                }
                embedded = nil
            case .choice(let alternatives):
                for alternative in alternatives {
                    var trial = self
                    let issuesBefore = trial.model.issues.count
                    let trialReplayed = trial.applySteps(alternative, bodyLine: bodyLine)
                    if trial.model.issues.count == issuesBefore {
                        self = trial
                        replayed = replayed || trialReplayed
                        break
                    }
                }
            }
        }
        return replayed
    }

    // MARK: Names and search path

    private func origin(_ offset: Int) -> Origin {
        if let embedded {
            let location = embedded.source.location(ofByte: offset)
            return Origin(path: path, line: embedded.firstLine + location.line - 1, column: location.column)
        }
        let location = source.location(ofByte: offset)
        return Origin(path: path, line: location.line, column: location.column)
    }

    private mutating func issue(_ message: String, at offset: Int) {
        model.issues.append(ReplayIssue(message: message, origin: origin(offset)))
    }

    /// Called whenever the search path or the set of schemas changes.
    private mutating func refreshEffectivePath() {
        effectivePath = searchPath.filter { $0 != "$user" && $0 != "pg_catalog" && $0 != "pg_temp" && model.schemas[$0] != nil }
    }

    private func qualifyForCreation(_ name: ObjectName) -> ObjectName {
        ObjectName(schema: name.schema ?? effectivePath.first ?? "public", name: name.name)
    }

    /// Finds an existing object: qualified names directly, unqualified ones along the search path.
    private func resolve<Value>(_ name: ObjectName, in objects: [ObjectName: Value]) -> ObjectName? {
        if name.schema != nil { return objects[name] != nil ? name : nil }
        for schema in effectivePath {
            let candidate = ObjectName(schema: schema, name: name.name)
            if objects[candidate] != nil { return candidate }
        }
        return nil
    }

    private func resolveAnyRelation(_ name: ObjectName) -> ObjectName? {
        resolve(name, in: model.tables) ?? resolve(name, in: model.views) ?? resolve(name, in: model.sequences) ?? resolve(name, in: model.indexes)
    }

    private func resolveFunctionName(_ name: ObjectName) -> ObjectName {
        if name.schema != nil { return name }
        for schema in effectivePath where model.functions.values.contains(where: { $0.name == ObjectName(schema: schema, name: name.name) }) {
            return ObjectName(schema: schema, name: name.name)
        }
        return name
    }

    /// Column type text as `format_type` prints it; user types are qualified unless in `public`.
    private func formatType(_ type: DataType) -> String {
        guard let user = type.userType else { return type.formatted }
        let resolved = resolve(user, in: model.types) ?? ObjectName(schema: user.schema ?? effectivePath.first ?? "public", name: user.name)
        return DataType.formatUserType(resolved) + (type.arrayDimensions > 0 ? "[]" : "")
    }

    private func relationNameTaken(_ schema: String, _ name: String) -> Bool {
        let key = ObjectName(schema: schema, name: name)
        return model.tables[key] != nil || model.indexes[key] != nil || model.views[key] != nil || model.sequences[key] != nil
    }

    /// Postgres checks constraint names across the whole schema. Scanning every table for
    /// every generated name is quadratic, so a superset of the names ever used answers the
    /// common "never used" case; only a hit is confirmed by the exact scan.
    private func constraintNameTaken(_ schema: String, _ name: String) -> Bool {
        guard constraintNamesEverUsed.contains(ObjectName(schema: schema, name: name)) else { return false }
        return model.tables.values.contains { $0.name.schema == schema && $0.constraints.contains { $0.name == name } }
    }

    /// Called wherever a constraint name appears in a schema (added, cloned, renamed, moved).
    private mutating func noteConstraintName(_ schema: String?, _ name: String) {
        constraintNamesEverUsed.insert(ObjectName(schema: schema, name: name))
    }

    // MARK: Tables

    private mutating func createTable(_ create: CreateTable, at offset: Int) {
        let name = qualifyForCreation(create.name)
        if create.isTemporary { return }
        if model.tables[name] != nil || model.views[name] != nil {
            if !create.ifNotExists { issue("CREATE TABLE \(name): a relation of that name already exists", at: offset) }
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
        for definition in create.columns {
            if let existing = table.columns.firstIndex(where: { $0.name == definition.name }) {
                // PARTITION OF / INHERITS: a column definition only adds defaults and constraints.
                if definition.notNull { table.columns[existing].notNull = true }
                if let expression = definition.defaultExpression { table.columns[existing].defaultExpression = expression }
            } else {
                table.columns.append(makeColumn(definition, table: name))
            }
            pending += definition.constraints
        }
        model.tables[name]?.columns = table.columns
        pending += create.constraints
        addConstraints(pending, to: name)
        if table.partitionOf != nil { clonePartitionConstraints(inheritedConstraints, into: name) }
    }

    private mutating func makeColumn(_ definition: ColumnDefinition, table: ObjectName) -> Column {
        var column = Column(name: definition.name, type: formatType(definition.type), notNull: definition.notNull,
                            defaultExpression: definition.defaultExpression, identity: definition.identity,
                            generated: definition.generated, comment: nil, origin: origin(definition.offset))
        if definition.type.isSerial || definition.identity != nil {
            // serial and identity columns are NOT NULL and own a sequence named like an index would be.
            column.notNull = true
            let sequence = PostgresNaming.choose(table.name, definition.name, "seq") { relationNameTaken(table.schema!, $0) }
            let sequenceName = ObjectName(schema: table.schema, name: sequence)
            model.sequences[sequenceName] = Sequence(name: sequenceName, ownedBy: table, origin: column.origin)
            sequencesOf.add(sequenceName, to: table)
            if definition.type.isSerial {
                let qualified = table.schema == "public" ? sequence : "\(table.schema!).\(sequence)"
                column.defaultExpression = "nextval('\(qualified)'::regclass)"
            }
        }
        return column
    }

    /// Adds constraints in the order Postgres names them: CHECK first (named when the
    /// relation is created), then PRIMARY KEY, then UNIQUE/EXCLUDE, then FOREIGN KEY.
    private mutating func addConstraints(_ definitions: [ConstraintDefinition], to tableName: ObjectName) {
        let order: [ConstraintDefinition.Kind] = [.check, .primaryKey, .unique, .exclusion, .foreignKey]
        for kind in order {
            for definition in definitions where definition.kind == kind { addConstraint(definition, to: tableName) }
        }
    }

    private mutating func addConstraint(_ definition: ConstraintDefinition, to tableName: ObjectName) {
        guard let existingConstraints = model.tables[tableName]?.constraints else { return }
        if let name = definition.name, existingConstraints.contains(where: { $0.name == name }) {
            return issue("ADD CONSTRAINT \(name): \(tableName) already has a constraint of that name", at: definition.offset)
        }
        let schema = tableName.schema!
        var columns = definition.columns
        if let indexName = definition.usingIndex, let index = model.indexes[ObjectName(schema: schema, name: indexName)] {
            columns = index.columns
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
            if targetColumns.isEmpty, let primaryKey = model.tables[target]?.constraints.first(where: { $0.kind == .primaryKey }) {
                targetColumns = primaryKey.columns
            }
            references = ForeignKeyTarget(table: target, columns: targetColumns, onDelete: foreignKey.onDelete, onUpdate: foreignKey.onUpdate)
            referencesOrigin = origin(foreignKey.referencesOffset)
            if model.tables[target] == nil { issue("foreign key \(name) references unknown table \(foreignKey.table)", at: definition.offset) }
        }
        let constraint = Constraint(name: name, kind: definition.kind, columns: columns, references: references,
                                    expression: definition.expression, expressionColumns: definition.expressionColumns,
                                    validated: !definition.notValid, inherited: false, origin: origin(definition.offset),
                                    referencesOrigin: referencesOrigin)
        model.tables[tableName]?.constraints.append(constraint)
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
                model.indexes[indexKey] = Index(name: indexKey, table: tableName, columns: columns, unique: definition.kind != .exclusion,
                                                method: "btree", predicate: nil, constraint: name, origin: constraint.origin)
            }
        }
        for child in children(of: tableName) where definition.kind == .foreignKey || definition.kind == .check {
            if model.tables[child]?.partitionOf == tableName { clonePartitionConstraints([constraint], into: child) }
        }
    }

    /// A partition gets its parent's foreign keys and checks under the same names, and its
    /// own index for each PRIMARY KEY / UNIQUE constraint.
    private mutating func clonePartitionConstraints(_ constraints: [Constraint], into partition: ObjectName) {
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

    /// Indexes of a table, in name order.
    private func indexKeys(of table: ObjectName) -> [ObjectName] {
        indexesOf.values(of: table).filter { model.indexes[$0]?.table == table }
    }

    /// Other tables with a foreign key to `table` (and `table` itself, for self-references).
    private func tablesReferencing(_ table: ObjectName) -> [ObjectName] {
        Set(referencers.values(of: table) + [table]).filter { other in
            model.tables[other]?.constraints.contains { $0.references?.table == table } == true
        }.sorted()
    }

    private func children(of table: ObjectName) -> [ObjectName] {
        guard tablesWithChildren.contains(table) else { return [] }
        return model.tables.values.filter { $0.partitionOf == table || $0.inheritsFrom.contains(table) }.map(\.name).sorted()
    }

    private mutating func setNotNull(_ table: ObjectName, _ column: String, _ value: Bool) {
        guard let index = model.tables[table]?.columns.firstIndex(where: { $0.name == column }) else { return }
        model.tables[table]?.columns[index].notNull = value
    }

    private mutating func alterTable(_ alter: AlterTable, at offset: Int) {
        switch alter.relationKind {
        case .table, .foreignTable: break
        case .view, .materializedView, .index, .sequence, .type:
            // ALTER VIEW/INDEX/SEQUENCE … (owner, options): nothing the model tracks.
            return
        }
        guard let name = resolve(alter.name, in: model.tables) else {
            if !alter.ifExists { issue("ALTER TABLE of unknown table \(alter.name)", at: offset) }
            return
        }
        var pendingConstraints: [ConstraintDefinition] = []
        for action in alter.actions {
            applyColumnAction(action, to: name, at: offset, constraints: &pendingConstraints)
        }
        addConstraints(pendingConstraints, to: name)
    }

    private mutating func applyColumnAction(_ action: AlterTableAction, to name: ObjectName, at offset: Int,
                                            constraints: inout [ConstraintDefinition]) {
        // Column changes on a partitioned or inherited parent reach its children too.
        let family = [name] + descendants(of: name)
        switch action {
        case .addColumn(let definition, let ifNotExists):
            if model.tables[name]?.column(named: definition.name) != nil {
                if !ifNotExists { issue("ADD COLUMN \(definition.name): column already exists in \(name)", at: offset) }
                return
            }
            // Children share the parent's column (and its sequence, for serial/identity).
            let column = makeColumn(definition, table: name)
            for member in family { model.tables[member]?.columns.append(column) }
            constraints += definition.constraints
        case .dropColumn(let column, let ifExists, _):
            guard model.tables[name]?.column(named: column) != nil else {
                if !ifExists { issue("DROP COLUMN \(column): no such column in \(name)", at: offset) }
                return
            }
            for member in family { dropColumn(column, from: member) }
        case .alterColumnType(let column, let type, _):
            let formatted = formatType(type)
            for member in family { updateColumn(member, column) { $0.type = formatted } }
        case .setNotNull(let column): for member in family { setNotNull(member, column, true) }
        case .dropNotNull(let column): for member in family { setNotNull(member, column, false) }
        case .setDefault(let column, let expression): updateColumn(name, column) { $0.defaultExpression = expression }
        case .dropDefault(let column): updateColumn(name, column) { $0.defaultExpression = nil }
        case .addConstraint(let definition): constraints.append(definition)
        case .dropConstraint(let constraint, let ifExists, _):
            guard model.tables[name]?.constraints.contains(where: { $0.name == constraint }) == true else {
                if !ifExists { issue("DROP CONSTRAINT \(constraint): no such constraint on \(name)", at: offset) }
                return
            }
            for member in family { dropConstraint(constraint, from: member) }
        case .validateConstraint(let constraint):
            if let index = model.tables[name]?.constraints.firstIndex(where: { $0.name == constraint }) {
                model.tables[name]?.constraints[index].validated = true
            }
        case .addIdentity(let column, let kind):
            updateColumn(name, column) { $0.identity = kind; $0.notNull = true }
            let sequence = PostgresNaming.choose(name.name, column, "seq") { relationNameTaken(name.schema!, $0) }
            model.sequences[ObjectName(schema: name.schema, name: sequence)] = Sequence(name: ObjectName(schema: name.schema, name: sequence), ownedBy: name, origin: origin(offset))
            sequencesOf.add(ObjectName(schema: name.schema, name: sequence), to: name)
        case .dropIdentity(let column): updateColumn(name, column) { $0.identity = nil }
        case .dropExpression(let column): updateColumn(name, column) { $0.generated = nil }
        case .attachPartition(let partition):
            guard let partitionName = resolve(partition, in: model.tables) else { return issue("ATTACH PARTITION of unknown table \(partition)", at: offset) }
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
        case .changeOwner, .other: break
        }
    }

    private func descendants(of table: ObjectName) -> [ObjectName] {
        var result: [ObjectName] = []
        var queue = children(of: table)
        while let next = queue.first {
            queue.removeFirst()
            guard !result.contains(next) else { continue }
            result.append(next)
            queue += children(of: next)
        }
        return result
    }

    private mutating func updateColumn(_ table: ObjectName, _ column: String, _ change: (inout Column) -> Void) {
        guard let index = model.tables[table]?.columns.firstIndex(where: { $0.name == column }) else { return }
        change(&model.tables[table]!.columns[index])
    }

    /// Postgres drops the indexes and constraints that use a dropped column, and (with
    /// CASCADE) foreign keys of other tables that reference it.
    private mutating func dropColumn(_ column: String, from table: ObjectName) {
        model.tables[table]?.columns.removeAll { $0.name == column }
        let doomed = model.tables[table]?.constraints.filter { $0.columns.contains(column) || $0.expressionColumns.contains(column) } ?? []
        for constraint in doomed { dropConstraint(constraint.name, from: table) }
        for key in indexKeys(of: table) where model.indexes[key]!.columns.contains(column) { model.indexes[key] = nil }
        for other in tablesReferencing(table) {
            model.tables[other]?.constraints.removeAll { $0.references?.table == table && $0.references?.columns.contains(column) == true }
        }
    }

    private mutating func dropConstraint(_ name: String, from table: ObjectName) {
        guard let constraint = model.tables[table]?.constraints.first(where: { $0.name == name }) else { return }
        model.tables[table]?.constraints.removeAll { $0.name == name }
        if constraint.kind == .primaryKey || constraint.kind == .unique || constraint.kind == .exclusion {
            model.indexes[ObjectName(schema: table.schema, name: name)] = nil
        }
    }

    // MARK: Indexes

    private mutating func createIndex(_ create: CreateIndex, at offset: Int) {
        guard let table = resolve(create.table, in: model.tables) ?? resolve(create.table, in: model.views) else {
            return issue("CREATE INDEX on unknown table \(create.table)", at: offset)
        }
        let schema = table.schema!
        let name = create.name ?? PostgresNaming.choose(table.name, PostgresNaming.addition(create.columns.map(\.nameForGeneratedName)), "idx") {
            relationNameTaken(schema, $0)
        }
        let key = ObjectName(schema: schema, name: name)
        if relationNameTaken(schema, name) {
            if !create.ifNotExists { issue("CREATE INDEX \(name): a relation of that name already exists", at: offset) }
            return
        }
        indexesOf.add(key, to: table)
        model.indexes[key] = Index(name: key, table: table, columns: create.columns.map { $0.column ?? $0.expression ?? "" },
                                   unique: create.unique, method: create.method, predicate: create.predicate, constraint: nil,
                                   origin: origin(create.offset))
    }

    // MARK: Drops and renames

    private mutating func drop(_ drop: Drop, at offset: Int) {
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
                model.views[view] = nil
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

    private mutating func dropTable(_ table: ObjectName) {
        let children = children(of: table)
        for child in children where model.tables[child]?.partitionOf == table { dropTable(child) }
        for child in children { model.tables[child]?.inheritsFrom.removeAll { $0 == table } }
        for key in indexKeys(of: table) { model.indexes[key] = nil }
        for other in tablesReferencing(table) where other != table {
            model.tables[other]?.constraints.removeAll { $0.references?.table == table }
        }
        model.tables[table] = nil
        // Owned sequences (serial, identity) go with the table.
        for sequence in sequencesOf.values(of: table) where model.sequences[sequence]?.ownedBy == table { model.sequences[sequence] = nil }
    }

    private mutating func dropSchema(_ schema: String) {
        model.schemas[schema] = nil
        refreshEffectivePath()
        for table in model.tables.keys where table.schema == schema { dropTable(table) }
        model.views = model.views.filter { $0.key.schema != schema }
        model.types = model.types.filter { $0.key.schema != schema }
        model.sequences = model.sequences.filter { $0.key.schema != schema }
        model.indexes = model.indexes.filter { $0.key.schema != schema }
        model.functions = model.functions.filter { $0.value.name.schema != schema }
    }

    private mutating func rename(_ rename: Rename, at offset: Int) {
        switch rename.target {
        case .table:
            guard let old = resolve(rename.object, in: model.tables) else {
                if !rename.ifExists { issue("RENAME of unknown table \(rename.object)", at: offset) }
                return
            }
            moveTable(old, to: ObjectName(schema: old.schema, name: rename.newName))
        case .column(let relation):
            guard let table = resolve(relation, in: model.tables) else {
                if resolve(relation, in: model.views) == nil, !rename.ifExists { issue("RENAME COLUMN of unknown table \(relation)", at: offset) }
                return
            }
            for member in [table] + descendants(of: table) { renameColumn(member, from: rename.oldName, to: rename.newName) }
        case .constraint(let relation):
            guard let table = resolve(relation, in: model.tables),
                  let index = model.tables[table]?.constraints.firstIndex(where: { $0.name == rename.oldName }) else {
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

    private mutating func renameColumn(_ table: ObjectName, from old: String, to new: String) {
        updateColumn(table, old) { $0.name = new }
        func replaced(_ columns: [String]) -> [String] { columns.map { $0 == old ? new : $0 } }
        for index in model.tables[table]?.constraints.indices ?? 0..<0 {
            model.tables[table]!.constraints[index].columns = replaced(model.tables[table]!.constraints[index].columns)
            model.tables[table]!.constraints[index].expressionColumns = replaced(model.tables[table]!.constraints[index].expressionColumns)
        }
        for key in indexKeys(of: table) { model.indexes[key]!.columns = replaced(model.indexes[key]!.columns) }
        for other in tablesReferencing(table) {
            for index in model.tables[other]!.constraints.indices where model.tables[other]!.constraints[index].references?.table == table {
                model.tables[other]!.constraints[index].references!.columns = replaced(model.tables[other]!.constraints[index].references!.columns)
            }
        }
    }

    /// After a table is renamed or moved, everything that pointed at it follows.
    private mutating func retargetTable(from old: ObjectName, to new: ObjectName) {
        for constraint in model.tables[new]?.constraints ?? [] {
            noteConstraintName(new.schema, constraint.name)
            if let target = constraint.references?.table { referencers.add(new, to: target) }
        }
        for key in indexesOf.values(of: old) where model.indexes[key]?.table == old {
            model.indexes[key]!.table = new
            indexesOf.add(key, to: new)
        }
        let referencing = Set(referencers.values(of: old) + [new]).filter { model.tables[$0] != nil }.sorted()
        for other in referencing {
            for index in model.tables[other]!.constraints.indices where model.tables[other]!.constraints[index].references?.table == old {
                model.tables[other]!.constraints[index].references!.table = new
                referencers.add(other, to: new)
            }
        }
        if tablesWithChildren.contains(old) {
            tablesWithChildren.insert(new)
            for child in children(of: old) {
                if model.tables[child]!.partitionOf == old { model.tables[child]!.partitionOf = new }
                model.tables[child]!.inheritsFrom = model.tables[child]!.inheritsFrom.map { $0 == old ? new : $0 }
            }
        }
        for key in viewsReading.values(of: old) where model.views[key]?.reads.contains(old) == true {
            model.views[key]!.reads = model.views[key]!.reads.map { $0 == old ? new : $0 }
            viewsReading.add(key, to: new)
        }
        for key in sequencesOf.values(of: old) where model.sequences[key]?.ownedBy == old {
            model.sequences[key]!.ownedBy = new
            sequencesOf.add(key, to: new)
        }
    }

    private mutating func retypeColumns(from old: String, to new: String) {
        for key in model.tables.keys {
            for index in model.tables[key]!.columns.indices {
                let type = model.tables[key]!.columns[index].type
                if type == old { model.tables[key]!.columns[index].type = new }
                else if type == old + "[]" { model.tables[key]!.columns[index].type = new + "[]" }
            }
        }
    }

    private mutating func renameSchema(_ old: String, to new: String) {
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
    private mutating func rebuildReverseIndexes() {
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

    private mutating func setSchema(_ alter: AlterObjectSchema, at offset: Int) {
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

    private mutating func moveTable(_ old: ObjectName, to new: ObjectName) {
        guard var table = model.tables.removeValue(forKey: old) else { return }
        table.name = new
        model.tables[new] = table
        model.everCreatedTables.insert(new)
        retargetTable(from: old, to: new)
    }

    private mutating func moveType(_ old: ObjectName, to new: ObjectName) {
        guard var type = model.types.removeValue(forKey: old) else { return }
        type.name = new
        model.types[new] = type
        retypeColumns(from: DataType.formatUserType(old), to: DataType.formatUserType(new))
    }

    private mutating func moveView(_ old: ObjectName, to new: ObjectName) {
        guard var view = model.views.removeValue(forKey: old) else { return }
        view.name = new
        model.views[new] = view
        noteReads(of: new)
        retargetTable(from: old, to: new)
    }

    private mutating func moveSequence(_ old: ObjectName, to new: ObjectName) {
        guard var sequence = model.sequences.removeValue(forKey: old) else { return }
        sequence.name = new
        model.sequences[new] = sequence
    }

    // MARK: Views, functions, comments

    private mutating func createView(_ create: CreateView, at offset: Int) {
        let name = qualifyForCreation(create.name)
        if model.views[name] != nil, !create.orReplace {
            if !create.ifNotExists { issue("CREATE VIEW \(name): a view of that name already exists", at: offset) }
            return
        }
        let reads = create.reads.map { resolve($0, in: model.tables) ?? resolve($0, in: model.views) ?? $0 }
        model.views[name] = View(name: name, materialized: create.materialized, reads: reads, comment: model.views[name]?.comment,
                                 origin: origin(create.offset), owner: nil)
        noteReads(of: name)
    }

    private mutating func noteReads(of view: ObjectName) {
        for relation in model.views[view]?.reads ?? [] { viewsReading.add(view, to: relation) }
    }

    private mutating func createFunction(_ create: CreateFunction, at offset: Int) {
        let name = qualifyForCreation(create.name)
        let function = Function(name: name, argumentTypes: create.argumentTypes, returnType: create.returnType,
                                language: create.language, isProcedure: create.isProcedure, origin: origin(offset), owner: nil)
        model.functions[function.signature] = function
    }

    private mutating func comment(_ comment: Comment, at offset: Int) {
        switch comment.target {
        case .table(let name):
            if let table = resolve(name, in: model.tables) { model.tables[table]?.comment = comment.text }
            else if let view = resolve(name, in: model.views) { model.views[view]?.comment = comment.text }
        case .view(let name):
            if let view = resolve(name, in: model.views) { model.views[view]?.comment = comment.text }
        case .column(let tableName, let column):
            if let table = resolve(tableName, in: model.tables) { updateColumn(table, column) { $0.comment = comment.text } }
        case .other:
            break
        }
    }
}

extension DataType {
    /// User types print unqualified when in `public` (visible on the default search path).
    public static func formatUserType(_ name: ObjectName) -> String {
        guard let schema = name.schema, schema != "public" else { return Identifiers.quote(name.name) }
        return Identifiers.quote(schema) + "." + Identifiers.quote(name.name)
    }
}

/// Which objects point at a key (tables referencing a table, indexes of a table, …): a
/// superset, so that drops and renames need not scan the model. Appending is cheaper than
/// keeping sets (most keys are written once and never read); readers deduplicate and every
/// use checks the model, so stale or repeated entries are harmless.
struct ReverseIndex: Sendable {
    private var entries: [ObjectName: [ObjectName]] = [:]

    mutating func add(_ value: ObjectName, to key: ObjectName) {
        entries[key, default: []].append(value)
    }

    /// The distinct values recorded for `key`, sorted (callers act on them in a stable order).
    func values(of key: ObjectName) -> [ObjectName] {
        guard let values = entries[key] else { return [] }
        return values.count == 1 ? values : Array(Set(values)).sorted()
    }
}
