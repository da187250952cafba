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
            issue("CREATE TYPE \(qualified): a type of that name already exists", at: offset)
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
        if let renamed = alter.renamedValue, let index = type.values.firstIndex(of: renamed.from) { type.values[index] = renamed.to }
        model.types[name] = type
    }

    mutating func createSequence(_ create: CreateSequence, at offset: Int) {
        let name = qualifyForCreation(create.name)
        if relationNameTaken(name.schema!, name.name) {
            if !create.ifNotExists { issue("CREATE SEQUENCE \(name): a relation of that name already exists", at: offset) }
            return
        }
        model.sequences[name] = SequenceObject(name: name, ownedBy: nil, origin: origin(offset))
    }
}

extension DataType {
    /// User types print unqualified when in `public` (visible on the default search path).
    public static func formatUserType(_ name: ObjectName) -> String {
        guard let schema = name.schema, schema != "public" else { return Identifiers.quote(name.name) }
        return Identifiers.quote(schema) + "." + Identifiers.quote(name.name)
    }
}
