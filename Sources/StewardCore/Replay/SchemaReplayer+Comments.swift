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
        applyPrivileges(grant, at: offset)
    }

    /// What `ALL [PRIVILEGES]` means for each kind of relation (Postgres's ACL_ALL_RIGHTS_*).
    static let allTablePrivileges: Set<String> = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    static let allSequencePrivileges: Set<String> = ["USAGE", "SELECT", "UPDATE"]

    /// Effective privileges on tables, views and sequences. Column privileges, schema and
    /// function privileges and roles that depend on who runs the migration (CURRENT_USER)
    /// are kept as statements only.
    private mutating func applyPrivileges(_ grant: Grant, at offset: Int) {
        guard !grant.columnLevel, !grant.grantOptionOnly, grant.objectKind == "table" || grant.objectKind == "sequence" else { return }
        let isSequence = grant.objectKind == "sequence"
        var targets: [ObjectName] = []
        if grant.allInSchema {
            for schema in grant.objects.map(\.name) {
                if isSequence {
                    targets += model.sequences.keys.filter { $0.schema == schema }
                } else {
                    targets += model.tables.keys.filter { $0.schema == schema } + model.views.keys.filter { $0.schema == schema }
                }
            }
        } else {
            for object in grant.objects {
                let found = isSequence ? resolve(object, in: model.sequences)
                    : resolve(object, in: model.tables) ?? resolve(object, in: model.views) ?? resolve(object, in: model.sequences)
                guard let found else {
                    issue("\(grant.isGrant ? "GRANT" : "REVOKE") on unknown relation \(object)", at: offset)
                    continue
                }
                targets.append(found)
            }
        }
        let grantees = grant.grantees.filter { !["CURRENT_USER", "SESSION_USER", ""].contains($0) }
        func updated(_ privileges: inout [String: Set<String>], all: Set<String>) {
            let named = grant.privileges == ["ALL"] ? all : Set(grant.privileges.map { $0.uppercased() }).intersection(all)
            for grantee in grantees {
                var current = privileges[grantee] ?? []
                if grant.isGrant { current.formUnion(named) } else { current.subtract(named) }
                privileges[grantee] = current.isEmpty ? nil : current
            }
        }
        for target in targets {
            if model.tables[target] != nil {
                updated(&model.tables[target]!.privileges, all: Self.allTablePrivileges)
            } else if model.views[target] != nil {
                updated(&model.views[target]!.privileges, all: Self.allTablePrivileges)
            } else if model.sequences[target] != nil {
                updated(&model.sequences[target]!.privileges, all: Self.allSequencePrivileges)
            }
        }
    }
}
