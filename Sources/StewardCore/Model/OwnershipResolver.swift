import StewardSQL

/// Maps every object of the model to its owning service.
enum OwnershipResolver {
    static func assign(_ manifest: OwnershipManifest, to model: inout SchemaModel) {
        let formerNames = model.formerNames
        model.tables.updateValues { key, table in
            // A partition belongs to the owner of its partitioned table unless claimed itself;
            // a renamed table keeps the owner of the name the manifest still lists.
            table.owner = manifest.owner(of: key) ?? table.partitionOf.flatMap { manifest.owner(of: $0) }
                ?? formerNames[key]?.reversed().lazy.compactMap { manifest.owner(of: $0.name) }.first
        }
        model.views.updateValues { key, view in view.owner = manifest.owner(of: key) }

        // Types and functions are rarely listed: a type used by one service's tables only, or a
        // trigger function used by one service's tables only, belongs to that service. Who uses
        // what is gathered only when some type or function is outside every service's schemas
        // (it reads every column of every table).
        var servicesByColumnType: [String: Set<String>] = [:]
        var servicesByTriggerFunction: [String: Set<String>] = [:]
        // Only the names of types and functions that need it: most columns have a built-in type.
        var typeNames = Set<String>(), functionNames = Set<String>()
        for key in model.types.keys where manifest.owner(ofSchema: key.schema ?? "public") == nil {
            let rendered = DataType.formatUserType(key)
            typeNames.insert(rendered)
            typeNames.insert(rendered + "[]")
        }
        for function in model.functions.values where manifest.owner(ofSchema: function.name.schema ?? "public") == nil {
            functionNames.insert(function.name.name)
        }
        if !typeNames.isEmpty || !functionNames.isEmpty {
            // In place: iterating the values would copy every table and column out.
            model.tables.updateValues { _, table in
                guard let service = table.owner?.service else { return }
                for index in table.columns.indices where typeNames.contains(table.columns[index].type) {
                    servicesByColumnType[table.columns[index].type, default: []].insert(service)
                }
                for trigger in table.triggers where functionNames.contains(trigger.function.name) {
                    servicesByTriggerFunction[trigger.function.name, default: []].insert(service)
                }
            }
        }
        model.types.updateValues { key, type in
            if let service = manifest.owner(ofSchema: key.schema ?? "public") {
                type.owner = Ownership(service: service, basis: .schema)
                return
            }
            let rendered = DataType.formatUserType(key)
            let users = (servicesByColumnType[rendered] ?? []).union(servicesByColumnType[rendered + "[]"] ?? [])
            if users.count == 1 { type.owner = Ownership(service: users.first!, basis: .inferred) }
        }
        model.functions.updateValues { _, function in
            if let service = manifest.owner(ofSchema: function.name.schema ?? "public") {
                function.owner = Ownership(service: service, basis: .schema)
                return
            }
            let users = servicesByTriggerFunction[function.name.name] ?? []
            if users.count == 1 { function.owner = Ownership(service: users.first!, basis: .inferred) }
        }
    }
}

extension Dictionary {
    /// Updates every value in place. Looping over `keys` and assigning through the subscript
    /// would copy the whole dictionary instead: the loop holds a reference to its storage.
    mutating func updateValues(_ update: (Key, inout Value) -> Void) {
        var index = startIndex
        while index != endIndex {
            let key = self[index].key
            update(key, &values[index])
            formIndex(after: &index)
        }
    }
}
