import StewardSQL

/// One object of service `from` depending on an object of service `to`: the coupling that
/// must be cut before either service can move to its own database.
public struct ServiceDependency: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Encodable, CaseIterable {
        case foreignKey = "foreign key"
        case view
        case grant
        case queryRead = "query read"
        case queryWrite = "query write"
    }

    public var kind: Kind
    public var from: String
    public var to: String
    /// The dependent object (`outbound_emails.outbound_emails_invoice_id_fkey`, a view, a role, a query).
    public var object: String
    /// The object of `to` it depends on.
    public var target: String
    public var location: FileLocation
    /// The `boundaries.allow` entry's reason when the manifest documents the dependency.
    public var allowedBecause: String?
}

extension ServiceDependency {
    /// Every cross-service dependency the replayed model and the services' queries show.
    public static func all(in context: RuleContext) -> [ServiceDependency] {
        guard let manifest = context.manifest else { return [] }
        var result: [ServiceDependency] = []
        func add(_ kind: Kind, from: String?, to: String?, object: String, target: ObjectName, at location: FileLocation) {
            guard let from, let to, from != to else { return }
            let allowance = manifest.allowance(from: from, to: to, object: target)
            result.append(ServiceDependency(kind: kind, from: from, to: to, object: object, target: target.display, location: location,
                                            allowedBecause: allowance?.reason))
        }
        for table in context.model.tables.values {
            for constraint in table.foreignKeys where !constraint.inherited {
                guard let target = constraint.references?.table else { continue }
                add(.foreignKey, from: table.owner?.service, to: context.owner(of: target),
                    object: "\(table.name.display).\(constraint.name)", target: target,
                    at: (constraint.referencesOrigin ?? constraint.origin).fileLocation)
            }
            for entry in table.privileges.entries {
                add(.grant, from: context.service(ofRole: entry.grantee), to: table.owner?.service,
                    object: "role \(entry.grantee): \(entry.privileges.names.joined(separator: ", "))", target: table.name,
                    at: table.origin.fileLocation)
            }
        }
        for view in context.model.views.values {
            for read in view.reads {
                add(.view, from: view.owner?.service, to: context.queryOwner(of: read), object: view.name.display, target: read,
                    at: view.origin.fileLocation)
            }
        }
        for use in context.queries.uses {
            var seen = Set<ObjectName>()
            for access in use.query.accesses where seen.insert(access.relation).inserted {
                let writes = use.query.accesses.contains { $0.relation == access.relation && $0.kind == .write }
                add(writes ? .queryWrite : .queryRead, from: use.service, to: context.queryOwner(of: access.relation),
                    object: "\(use.shortLabel) (\(use.path))", target: access.relation,
                    at: context.queryLocation(use, access.offset, length: access.relation.name.count))
            }
        }
        return result.sorted { ($0.from, $0.to, $0.kind.rawValue, $0.location) < ($1.from, $1.to, $1.kind.rawValue, $1.location) }
    }
}
