import StewardSQL

/// Maps every object of the model to its owning service.
enum OwnershipResolver {
    static func assign(_ manifest: OwnershipManifest, to model: inout SchemaModel) {
        for key in model.tables.keys {
            // A partition belongs to the owner of its partitioned table unless claimed itself.
            let table = model.tables[key]!
            model.tables[key]!.owner = manifest.owner(of: key) ?? table.partitionOf.flatMap { manifest.owner(of: $0) }
        }
        for key in model.views.keys { model.views[key]!.owner = manifest.owner(of: key) }

        // Types and functions are rarely listed: a type used by one service's tables only, or a
        // trigger function used by one service's tables only, belongs to that service.
        var servicesByColumnType: [String: Set<String>] = [:]
        var servicesByTriggerFunction: [String: Set<String>] = [:]
        for table in model.tables.values {
            guard let service = table.owner?.service else { continue }
            for column in table.columns { servicesByColumnType[column.type, default: []].insert(service) }
            for trigger in table.triggers { servicesByTriggerFunction[trigger.function.name, default: []].insert(service) }
        }
        for key in model.types.keys {
            if let service = manifest.owner(ofSchema: key.schema ?? "public") {
                model.types[key]!.owner = Ownership(service: service, basis: .schema)
                continue
            }
            let rendered = DataType.formatUserType(key)
            let users = (servicesByColumnType[rendered] ?? []).union(servicesByColumnType[rendered + "[]"] ?? [])
            if users.count == 1 { model.types[key]!.owner = Ownership(service: users.first!, basis: .inferred) }
        }
        for key in model.functions.keys {
            let function = model.functions[key]!
            if let service = manifest.owner(ofSchema: function.name.schema ?? "public") {
                model.functions[key]!.owner = Ownership(service: service, basis: .schema)
                continue
            }
            let users = servicesByTriggerFunction[function.name.name] ?? []
            if users.count == 1 { model.functions[key]!.owner = Ownership(service: users.first!, basis: .inferred) }
        }
    }
}
