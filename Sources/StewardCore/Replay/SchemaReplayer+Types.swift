import StewardSQL

// User-defined types (enums, domains, composite types) and sequences.
extension SchemaReplayer {
    mutating func createEnum(_ create: CreateEnum, at offset: Int) {
        guard let name = typeNameForCreation(create.name, at: offset) else { return }
        model.types[name] = UserType(name: name, kind: .enumeration, values: create.values, domainOf: nil, attributes: [],
                                     origin: origin(offset))
    }

    mutating func createDomain(_ create: CreateDomain, at offset: Int) {
        guard let name = typeNameForCreation(create.name, at: offset) else { return }
        model.types[name] = UserType(name: name, kind: .domain, values: [], domainOf: formatType(create.baseType), attributes: [],
                                     origin: origin(offset))
    }

    mutating func createCompositeType(_ create: CreateCompositeType, at offset: Int) {
        guard let name = typeNameForCreation(create.name, at: offset) else { return }
        let attributes = create.attributes.map { TypeAttribute(name: $0.name, type: formatType($0.type)) }
        model.types[name] = UserType(name: name, kind: .composite, values: [], domainOf: nil, attributes: attributes,
                                     origin: origin(offset))
    }

    /// Types share a namespace; a second CREATE TYPE of one name fails in Postgres.
    private mutating func typeNameForCreation(_ name: ObjectName, at offset: Int) -> ObjectName? {
        let qualified = qualifyForCreation(name)
        if model.types[qualified] != nil {
            issue("CREATE TYPE \(qualified): a type of that name already exists", at: offset, kind: .duplicate)
            return nil
        }
        return qualified
    }

    mutating func alterEnum(_ alter: AlterEnum, at offset: Int) {
        guard let name = resolve(alter.name, in: model.types), var type = model.types[name], type.kind == .enumeration else {
            return issue("ALTER TYPE of unknown enum type \(alter.name)", at: offset)
        }
        if let added = alter.addedValue, !type.values.contains(added) {
            // ADD VALUE … BEFORE / AFTER an existing label; at the end otherwise.
            if let neighbor = alter.neighbor, let position = type.values.firstIndex(of: neighbor) {
                type.values.insert(added, at: alter.addedAfterNeighbor ? position + 1 : position)
            } else {
                type.values.append(added)
            }
        }
        if let renamed = alter.renamedValue, let index = type.values.firstIndex(of: renamed.from) {
            record(.renameEnumValue(from: renamed.from, to: renamed.to), object: name, table: nil, at: offset, length: "ALTER".count,
                   dependents: columnsUsing(type: name))
            type.values[index] = renamed.to
        }
        model.types[name] = type
    }

    mutating func createSequence(_ create: CreateSequence, at offset: Int) {
        let name = qualifyForCreation(create.name)
        if relationNameTaken(name.schema!, name.name) {
            if !create.ifNotExists { issue("CREATE SEQUENCE \(name): a relation of that name already exists", at: offset, kind: .duplicate) }
            return
        }
        model.sequences[name] = SequenceObject(name: name, ownedBy: nil, ownedByColumn: nil, origin: origin(offset))
        if let owner = create.ownedBy { setSequenceOwner(name, owner, at: offset) }
    }

    mutating func alterSequence(_ alter: AlterSequence, at offset: Int) {
        guard let name = resolve(alter.name, in: model.sequences) else {
            if !alter.ifExists { issue("ALTER SEQUENCE of unknown sequence \(alter.name)", at: offset) }
            return
        }
        if let owner = alter.ownedBy { setSequenceOwner(name, owner, at: offset) }
    }

    /// `OWNED BY [schema.]table.column` (the sequence then goes with the column), or NONE.
    private mutating func setSequenceOwner(_ sequence: ObjectName, _ parts: [String], at offset: Int) {
        guard let column = parts.last, parts.count >= 2 else {
            model.sequences[sequence]?.ownedBy = nil
            model.sequences[sequence]?.ownedByColumn = nil
            return
        }
        let tableName = ObjectName(schema: parts.count >= 3 ? parts[parts.count - 3] : nil, name: parts[parts.count - 2])
        guard let table = resolve(tableName, in: model.tables), model.tables[table]?.column(named: column) != nil else {
            return issue("OWNED BY \(parts.joined(separator: ".")): no such table column", at: offset)
        }
        model.sequences[sequence]?.ownedBy = table
        model.sequences[sequence]?.ownedByColumn = column
        sequencesOf.add(sequence, to: table)
    }
}

extension DataType {
    /// User types print unqualified when in `public` (visible on the default search path).
    public static func formatUserType(_ name: ObjectName) -> String {
        guard let schema = name.schema, schema != "public" else { return Identifiers.quote(name.name) }
        return Identifiers.quote(schema) + "." + Identifiers.quote(name.name)
    }
}
