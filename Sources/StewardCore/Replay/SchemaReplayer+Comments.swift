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
        case .view(let name), .materializedView(let name):
            guard let view = resolve(name, in: model.views) else {
                return issue("COMMENT ON VIEW \(name): no such view", at: offset)
            }
            model.views[view]?.comment = comment.text
        case .column(let relation, let column):
            if let table = resolve(relation, in: model.tables) {
                guard model.tables[table]?.column(named: column) != nil else {
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
    }
}
