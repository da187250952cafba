import StewardSQL

// The change log: what a statement did to an object that existed before it, with the
// context the change-safety rules need (transaction, lock_timeout, where the object came
// from, who depends on it).
extension SchemaReplayer {
    /// Records a change. Call it before the model is changed: the object's origin and its
    /// dependents are read as they were before the statement.
    /// `createdIn`: where the object came from, when it is not a relation or type (a schema, a function).
    mutating func record(_ kind: SchemaChange.Kind, object: ObjectName, table: ObjectName?, at offset: Int,
                         length: Int = 1, dependents: [Dependent] = [], createdIn: String? = nil) {
        let location = origin(offset)
        let subject = table ?? object
        let object = shared(object)
        let table = table.map { $0 == object.value ? object : shared($0) }
        let createdIn = createdIn.map { $0 == sharedPath.value ? sharedPath : Shared($0) } ?? originPath(of: subject)
        model.changes.append(SchemaChange(
            kind: kind, object: object, table: table, file: sharedPath,
            line: location.line, column: location.column, length: length, createdIn: createdIn,
            inExplicitTransaction: explicitTransaction, transactionMode: fileTransaction,
            lockTimeoutSet: localLockTimeout ?? sessionLockTimeout, dependents: dependents))
    }

    /// The change log's one copy of `name`. Successive changes are mostly to one table: the
    /// last name shared is compared first, which is cheaper than hashing it.
    mutating func shared(_ name: ObjectName) -> Shared<ObjectName> {
        if let last = lastSharedName, last.value == name { return last }
        let shared: Shared<ObjectName>
        if let known = changeLogNames[name] {
            shared = known
        } else {
            shared = Shared(name)
            changeLogNames[name] = shared
        }
        lastSharedName = shared
        return shared
    }

    /// The file that created a relation or type, once per change, read in place (`inPlace`).
    mutating func originPath(of name: ObjectName) -> Shared<String>? {
        if let path = inTable(name, { $0.origin.sharedPath }) { return path }
        if let path = Self.inPlace(name, in: &model.views, { $0.origin.sharedPath }) { return path }
        if let path = Self.inPlace(name, in: &model.types, { $0.origin.sharedPath }) { return path }
        return Self.inPlace(name, in: &model.indexes) { $0.origin.sharedPath }
    }

    /// `SET [LOCAL] lock_timeout` and other settings. A setting Steward does not track is
    /// still recorded (ban-statement-timeout-off reads `statement_timeout`).
    mutating func setVariable(_ set: SetVariable, at offset: Int) {
        if set.name == "lock_timeout" {
            let enabled = set.value.map { !Self.isZeroDuration($0) } ?? false
            if set.isLocal {
                if inTransactionBlock { localLockTimeout = enabled }
            } else {
                localLockTimeout = nil
                sessionLockTimeout = enabled
            }
        }
        if set.name == "statement_timeout" || set.name == "lock_timeout" || set.name == "idle_in_transaction_session_timeout" {
            record(.setting(value: set.value, isLocal: set.isLocal), object: ObjectName(name: set.name), table: nil, at: offset)
        }
    }

    /// `0`, `'0'`, `0s`, `0ms`: a timeout of 0 means none.
    static func isZeroDuration(_ value: String) -> Bool {
        let digits = value.prefix { $0.isNumber || $0 == "." }
        return !digits.isEmpty && Double(digits) == 0
    }

    // MARK: Maintenance statements

    /// REINDEX, REFRESH MATERIALIZED VIEW, VACUUM, CLUSTER, TRUNCATE and LOCK change no
    /// schema; they are recorded for the locks they take on objects that exist.
    mutating func tableOperation(_ operation: TableOperation, at offset: Int) {
        for (position, relation) in operation.relations.enumerated() {
            var table = resolve(relation, in: model.tables) ?? resolve(relation, in: model.views)
            if case .reindex(.index) = operation.kind, let index = resolve(relation, in: model.indexes) {
                table = model.indexes[index]?.table
            }
            guard let table else { continue }
            let offset = position < operation.relationOffsets.count ? operation.relationOffsets[position] : operation.offset
            record(.tableOperation(operation.kind, concurrently: operation.concurrently), object: table, table: table,
                   at: offset, length: relation.name.count)
        }
        if operation.relations.isEmpty {
            record(.tableOperation(operation.kind, concurrently: operation.concurrently),
                   object: ObjectName(name: operation.name ?? "database"), table: nil, at: offset, length: 1)
        }
    }

    // MARK: Dependents

    /// What depends on a table, or on one of its columns: other tables' foreign keys (to that
    /// column), views reading it (a view's columns are not tracked, so every view reading the
    /// table counts for each column), grants to roles. The tables are read in place (`inTable`).
    mutating func dependents(ofTable table: ObjectName, column: String? = nil) -> [Dependent] {
        var result: [Dependent] = []
        // The reverse index is a superset, in name order: each candidate is confirmed in the model.
        for other in referencers.values(of: table) where other != table {
            inTable(other) { holder in
                for position in holder.constraints.indices {
                    guard let references = holder.constraints[position].references, references.table == table,
                          !holder.constraints[position].inherited, column.map({ references.columns.contains($0) }) ?? true else { continue }
                    result.append(Dependent(kind: .foreignKey, object: other, detail: holder.constraints[position].name))
                }
            }
        }
        result += viewsDependingOn(table).map { Dependent(kind: .view, object: $0, detail: "") }
        return result + grantDependents(of: table)
    }

    /// The roles (other than PUBLIC) holding privileges on a relation: the services that
    /// connect as them write or read it.
    mutating func grantDependents(of relation: ObjectName) -> [Dependent] {
        let privileges: PrivilegeGrants
        if let held = inTable(relation, { $0.privileges }) { privileges = held }
        else if let held = Self.inPlace(relation, in: &model.views, { $0.privileges }) { privileges = held }
        else { return [] }
        return privileges.entries.filter { $0.grantee != "PUBLIC" }.map { Dependent(kind: .grant, object: relation, detail: $0.grantee) }
    }

    /// Columns whose type is `type` (or an array of it).
    func columnsUsing(type: ObjectName) -> [Dependent] {
        let formatted = DataType.formatUserType(type)
        return model.tables.values.flatMap { table in
            table.columns.filter { $0.type == formatted || $0.type == formatted + "[]" }
                .map { Dependent(kind: .column, object: table.name, detail: $0.name) }
        }.sorted { ($0.object, $0.detail) < ($1.object, $1.detail) }
    }

    func viewsDependingOn(_ relation: ObjectName) -> [ObjectName] {
        viewsReading.values(of: relation).filter { model.views[$0]?.reads.contains(relation) == true }
    }

    // MARK: Facts about expressions and types

    /// The first volatile function a default calls, if any: adding a column with such a
    /// default rewrites the table (Postgres 11+ stores non-volatile defaults without one).
    func volatileCall(in definition: ColumnDefinition) -> String? {
        if definition.type.isSerial { return "nextval" }
        for call in definition.defaultCalls {
            if let volatility = functionVolatility[call.name] {
                if volatility == .volatile { return call.description }
            } else if BuiltinFunctions.volatile.contains(call.name), call.schema == nil || call.schema == "pg_catalog" || call.schema == "public" {
                return call.description
            }
        }
        return nil
    }
}
