import StewardSQL

// Functions, procedures and triggers.
extension SchemaReplayer {
    mutating func createFunction(_ create: CreateFunction, at offset: Int) {
        let name = qualifyForCreation(create.name)
        let function = Function(name: name, argumentTypes: create.argumentTypes, returnType: create.returnType,
                                language: create.language, isProcedure: create.isProcedure, volatility: create.volatility,
                                origin: origin(offset), owner: nil)
        model.functions[function.signature] = function
        if let language = create.language?.lowercased(), language == "sql" || language == "plpgsql",
           let range = currentStatement, range.lowerBound == offset {
            model.codeSites.append(CodeSite(kind: .functionBody(name, language: language), path: path,
                                            statement: Array(source.bytes[range.clamped(to: 0..<source.bytes.count)]),
                                            start: source.location(ofByte: range.lowerBound)))
        }
        // Overloads share a name: the most volatile one decides (a default's call is not resolved by argument types).
        if (functionVolatility[name.name].map { $0 != .volatile } ?? true) { functionVolatility[name.name] = create.volatility }
    }

    mutating func createTrigger(_ create: CreateTrigger, at offset: Int) {
        guard let table = resolve(create.table, in: model.tables) else {
            return issue("CREATE TRIGGER \(create.name) on unknown table \(create.table)", at: offset)
        }
        let trigger = Trigger(name: create.name, function: resolveFunctionName(create.function), origin: origin(offset))
        inTable(table) { stored in
            stored.triggers.removeAll { $0.name == create.name }
            stored.triggers.append(trigger)
        }
    }
}
