import StewardSQL

// COMMENT ON and GRANT / REVOKE.
extension SchemaReplayer {
    /// Postgres refuses a comment on an object that does not exist (`COMMENT` has no IF EXISTS).
    mutating func comment(_ comment: Comment, at offset: Int) {
        switch comment.target {
        case .table(let name):
            guard let table = resolve(name, in: model.tables) else {
                return issue("COMMENT ON TABLE \(name): no such table", at: offset)
            }
            model.tables[table]?.comment = comment.text
            let statement = comment.text == nil ? nil : origin(offset)
            model.tables[table]?.commentOrigin = statement
        case .view(let name), .materializedView(let name):
            guard let view = resolve(name, in: model.views) else {
                return issue("COMMENT ON VIEW \(name): no such view", at: offset)
            }
            model.views[view]?.comment = comment.text
        case .column(let relation, let column):
            if let table = resolve(relation, in: model.tables) {
                guard inTable(table, { $0.hasColumn(column) }) == true else {
                    return issue("COMMENT ON COLUMN \(relation).\(column): no such column", at: offset)
                }
                updateColumn(table, column) { $0.comment = comment.text }
            } else if resolve(relation, in: model.views) == nil {
                issue("COMMENT ON COLUMN \(relation).\(column): no such table", at: offset)
            }
        case .other:
            break
        }
    }

    mutating func grant(_ grant: Grant, at offset: Int) {
        let objects = grant.allInSchema ? grant.objects : grant.objects.map { resolveAnyRelation($0) ?? $0 }
        model.grants.append(GrantRecord(privileges: grant.privileges, objectKind: grant.objectKind, objects: objects,
                                        allInSchema: grant.allInSchema, grantees: grant.grantees, isGrant: grant.isGrant,
                                        origin: origin(offset)))
        applyPrivileges(grant, at: offset)
    }

    /// Effective privileges on tables, views and sequences. Column privileges, schema and
    /// function privileges and roles that depend on who runs the migration (CURRENT_USER)
    /// are kept as statements only.
    private mutating func applyPrivileges(_ grant: Grant, at offset: Int) {
        guard !grant.columnLevel, !grant.grantOptionOnly, grant.objectKind == "table" || grant.objectKind == "sequence" else { return }
        let isSequence = grant.objectKind == "sequence"
        let grantees = grant.grantees.filter { !["CURRENT_USER", "SESSION_USER", ""].contains($0) }
        let written = grant.privileges == ["ALL"] ? nil : grant.privileges.reduce(into: Privileges()) { set, name in
            if let privilege = Privileges(name: name) { set.insert(privilege) }
        }
        // What the statement grants or revokes on each kind of relation, worked out once.
        let onTables = (written ?? .allOnTables).intersection(.allOnTables)
        let onSequences = (written ?? .allOnSequences).intersection(.allOnSequences)
        let isGrant = grant.isGrant
        func updated(_ privileges: inout PrivilegeGrants, _ named: Privileges) {
            for grantee in grantees { privileges.update(grantee, granting: isGrant, named) }
        }
        if grant.allInSchema {
            // Every relation of the schema that exists now, changed in place. The positions are
            // collected first: iterating `indices` while mutating would copy the dictionary.
            for schema in grant.objects.map(\.name) {
                if isSequence {
                    for index in Self.positions(of: model.sequences, inSchema: schema) { updated(&model.sequences.values[index].privileges, onSequences) }
                } else {
                    for index in Self.positions(of: model.tables, inSchema: schema) { updated(&model.tables.values[index].privileges, onTables) }
                    for index in Self.positions(of: model.views, inSchema: schema) { updated(&model.views.values[index].privileges, onTables) }
                }
            }
            return
        }
        // Through `values[index]`: changed in place, the relation is never copied out.
        for object in grant.objects {
            let found = isSequence ? resolve(object, in: model.sequences)
                : resolve(object, in: model.tables) ?? resolve(object, in: model.views) ?? resolve(object, in: model.sequences)
            guard let target = found else {
                issue("\(grant.isGrant ? "GRANT" : "REVOKE") on unknown relation \(object)", at: offset)
                continue
            }
            if let index = model.tables.index(forKey: target) {
                updated(&model.tables.values[index].privileges, onTables)
            } else if let index = model.views.index(forKey: target) {
                updated(&model.views.values[index].privileges, onTables)
            } else if let index = model.sequences.index(forKey: target) {
                updated(&model.sequences.values[index].privileges, onSequences)
            }
        }
    }

    /// The positions of the entries of `relations` whose name is in `schema`, walking keys and
    /// positions together (a key read by position would be looked up again).
    static func positions<Value>(of relations: [ObjectName: Value], inSchema schema: String) -> [Dictionary<ObjectName, Value>.Index] {
        var positions: [Dictionary<ObjectName, Value>.Index] = []
        var position = relations.startIndex
        for key in relations.keys {
            if key.schema == schema { positions.append(position) }
            relations.formIndex(after: &position)
        }
        return positions
    }
}
