import StewardSQL

// Name resolution along the search path, locations, and the names Postgres considers taken.
extension SchemaReplayer {

    /// Where an offset of the current file (or DO block statement) is. Offsets mostly move
    /// forward through a file, so the line of the previous one is tried first.
    mutating func origin(_ offset: Int) -> Origin {
        if let embedded {
            let location = embedded.source.location(ofByte: offset)
            return Origin(file: sharedPath, line: embedded.firstLine + location.line - 1, column: location.column)
        }
        let location = source.location(ofByte: offset, lineHint: &lineHint)
        return Origin(file: sharedPath, line: location.line, column: location.column)
    }

    mutating func issue(_ message: String, at offset: Int, kind: ReplayIssue.Kind = .missingObject) {
        model.issues.append(ReplayIssue(message: message, origin: origin(offset), kind: kind, afterOpaqueStatement: lastOpaqueStatement))
    }

    /// A temporary table of this session (unqualified, or in `pg_temp`).
    func isTemporary(_ name: ObjectName) -> Bool {
        (name.schema == nil || name.schema == "pg_temp") && temporaryTables.contains(name.name)
    }

    /// Called whenever the search path or the set of schemas changes.
    mutating func refreshEffectivePath() {
        effectivePath = searchPath.filter { $0 != "$user" && $0 != "pg_catalog" && $0 != "pg_temp" && model.schemas[$0] != nil }
    }

    func qualifyForCreation(_ name: ObjectName) -> ObjectName {
        ObjectName(schema: name.schema ?? effectivePath.first ?? "public", name: name.name)
    }

    /// Finds an existing object: qualified names directly, unqualified ones along the search path.
    /// The name returned is the model's own key: what the replay records about the object then
    /// shares its strings, instead of keeping each statement's copy alive.
    func resolve<Value>(_ name: ObjectName, in objects: [ObjectName: Value]) -> ObjectName? {
        // `index(forKey:)`: a lookup that does not copy the value out (a table is large).
        if name.schema != nil { return objects.index(forKey: name).map { objects.keys[$0] } }
        for schema in effectivePath {
            if let index = objects.index(forKey: ObjectName(schema: schema, name: name.name)) { return objects.keys[index] }
        }
        return nil
    }

    func resolveAnyRelation(_ name: ObjectName) -> ObjectName? {
        resolve(name, in: model.tables) ?? resolve(name, in: model.views) ?? resolve(name, in: model.sequences) ?? resolve(name, in: model.indexes)
    }

    func resolveFunctionName(_ name: ObjectName) -> ObjectName {
        if name.schema != nil { return name }
        for schema in effectivePath where model.functions.values.contains(where: { $0.name == ObjectName(schema: schema, name: name.name) }) {
            return ObjectName(schema: schema, name: name.name)
        }
        return name
    }

    /// Column type text as `format_type` prints it; user types are qualified unless in `public`.
    func formatType(_ type: DataType) -> String {
        guard let user = type.userType else { return type.formatted }
        let resolved = resolve(user, in: model.types) ?? ObjectName(schema: user.schema ?? effectivePath.first ?? "public", name: user.name)
        return DataType.formatUserType(resolved) + (type.arrayDimensions > 0 ? "[]" : "")
    }

    func relationNameTaken(_ schema: String, _ name: String) -> Bool {
        let key = ObjectName(schema: schema, name: name)
        return model.tables.index(forKey: key) != nil || model.indexes.index(forKey: key) != nil
            || model.views.index(forKey: key) != nil || model.sequences.index(forKey: key) != nil
    }

    /// Postgres checks constraint names across the whole schema. Scanning every table for
    /// every generated name is quadratic, so a superset of the names ever used answers the
    /// common "never used" case; only a hit is confirmed by the exact scan.
    func constraintNameTaken(_ schema: String, _ name: String) -> Bool {
        guard constraintNamesEverUsed.contains(ObjectName(schema: schema, name: name)) else { return false }
        return model.tables.values.contains { $0.name.schema == schema && $0.constraints.contains { $0.name == name } }
    }

    /// Called wherever a constraint name appears in a schema (added, cloned, renamed, moved).
    mutating func noteConstraintName(_ schema: String?, _ name: String) {
        constraintNamesEverUsed.insert(ObjectName(schema: schema, name: name))
    }
}
