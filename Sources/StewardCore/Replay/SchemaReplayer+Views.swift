import StewardSQL

extension SchemaReplayer {
    mutating func createView(_ create: CreateView, at offset: Int) {
        let name = qualifyForCreation(create.name)
        if let existing = model.views[name] {
            // CREATE OR REPLACE VIEW cannot replace a materialized view (nor the reverse).
            guard create.orReplace, existing.materialized == create.materialized else {
                if !create.ifNotExists { issue("CREATE VIEW \(name): a relation of that name already exists", at: offset, kind: .duplicate) }
                return
            }
        } else if relationNameTaken(name.schema!, name.name) {
            if !create.ifNotExists { issue("CREATE VIEW \(name): a relation of that name already exists", at: offset, kind: .duplicate) }
            return
        }
        let reads = create.reads.map { resolve($0, in: model.tables) ?? resolve($0, in: model.views) ?? $0 }
        let definition: ViewDefinition? = embedded.map { .text($0.source.text(0..<$0.source.bytes.count)) }
            ?? currentStatement.map { .inFile(start: $0.lowerBound, end: $0.upperBound) }
        model.views[name] = View(name: name, materialized: create.materialized, definition: definition,
                                 privileges: model.views[name]?.privileges ?? PrivilegeGrants(), reads: reads,
                                 comment: model.views[name]?.comment, origin: origin(create.offset), owner: nil)
        noteReads(of: name)
    }

    mutating func noteReads(of view: ObjectName) {
        for relation in model.views[view]?.reads ?? [] { viewsReading.add(view, to: relation) }
    }

    /// A view's indexes (materialized views have them) go with it.
    mutating func dropView(_ view: ObjectName) {
        for key in indexKeys(of: view) { model.indexes[key] = nil }
        model.views[view] = nil
    }
}
