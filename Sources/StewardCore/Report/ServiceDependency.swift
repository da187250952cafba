import StewardSQL

/// One object of service `from` depending on an object of service `to`: the coupling that
/// must be cut before either service can move to its own database.
public struct ServiceDependency: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Encodable, CaseIterable {
        case foreignKey = "foreign key"
        /// A view or materialized view of `from` reads a table of `to`.
        case view
        /// `to`'s table is granted to a role `from` connects as (`roles:`).
        case grant
        /// A trigger on `to`'s table runs `from`'s function: `to`'s writes run `from`'s code.
        case trigger
        /// `from`'s table lives in a schema `to` claims (`schemas:`).
        case schema
        /// A SQL or PL/pgSQL function of `from` reads or writes `to`'s table.
        case function
        /// A migration that creates or changes `from`'s objects also writes `to`'s rows.
        case dataWrite = "data write"
        /// A sequence in `from`'s schema is owned by (`OWNED BY`) a column of `to`'s table: it goes when the column does.
        case sequence
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
    public var targetName: ObjectName
    public var location: FileLocation
    /// The `boundaries.allow` entry when the manifest documents the dependency.
    public var allowance: BoundaryAllowance?
    /// `to` declares the target public (`public:`): a contract others may depend on.
    public var targetIsPublic: Bool
    /// For grants: a privilege that writes (INSERT, UPDATE, DELETE, TRUNCATE).
    public var writes: Bool
    /// For grants: the privileges (`SELECT, UPDATE`).
    public var privileges: String?

    public var allowedBecause: String? { allowance?.reason }

    /// The dependent object as a reviewer reads it: `view monthly`, `role svc_reports`,
    /// `foreign key outbound_emails.outbound_emails_invoice_id_fkey`.
    public var dependent: String { kind == .foreignKey ? "foreign key \(object)" : object }

    enum CodingKeys: String, CodingKey { case kind, from, to, object, target, location, allowedBecause, targetIsPublic, writes, privileges }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(object, forKey: .object)
        try container.encode(target, forKey: .target)
        try container.encode(location, forKey: .location)
        try container.encodeIfPresent(allowedBecause, forKey: .allowedBecause)
        try container.encode(targetIsPublic, forKey: .targetIsPublic)
        try container.encode(writes, forKey: .writes)
        try container.encodeIfPresent(privileges, forKey: .privileges)
    }

    /// The same dependency wherever it is written: a review compares the base's and the head's
    /// by what depends on what, not by line.
    public static func == (lhs: ServiceDependency, rhs: ServiceDependency) -> Bool {
        (lhs.kind, lhs.from, lhs.to, lhs.object, lhs.target, lhs.privileges) == (rhs.kind, rhs.from, rhs.to, rhs.object, rhs.target, rhs.privileges)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(from)
        hasher.combine(to)
        hasher.combine(object)
        hasher.combine(target)
    }
}

extension ServiceDependency {
    static let writePrivileges: Privileges = [.insert, .update, .delete, .truncate]

    /// Every cross-service dependency the replayed model and the services' queries show.
    public static func all(in context: RuleContext) -> [ServiceDependency] {
        guard let manifest = context.manifest else { return [] }
        var result: [ServiceDependency] = []
        // The manifest's verdict per (from, to, object): tens of thousands of data statements name
        // the same few tables, and each verdict matches patterns.
        struct VerdictKey: Hashable { var from: String; var to: String; var object: ObjectName }
        var verdicts: [VerdictKey: (allowance: BoundaryAllowance?, isPublic: Bool)] = [:]
        func add(_ kind: Kind, from: String?, to: String?, object: String, target: ObjectName, at location: FileLocation, writes: Bool = false,
                 privileges: String? = nil) {
            guard let from, let to, from != to else { return }
            let qualified = target.qualified
            let key = VerdictKey(from: from, to: to, object: qualified)
            let verdict = verdicts[key] ?? {
                let computed = (allowance: manifest.allowance(from: from, to: to, object: qualified), isPublic: manifest.isPublic(qualified, of: to))
                verdicts[key] = computed
                return computed
            }()
            result.append(ServiceDependency(kind: kind, from: from, to: to, object: object, target: target.display, targetName: qualified,
                                            location: location, allowance: verdict.allowance, targetIsPublic: verdict.isPublic, writes: writes,
                                            privileges: privileges))
        }
        let grantOrigins = grantStatements(context.model)
        var functionsByName: [ObjectName: Function] = [:], functionsByBareName: [String: Function] = [:]
        for function in context.model.functions.values {
            functionsByName[function.name] = function
            functionsByBareName[function.name.name] = function
        }
        // `GRANT … ON ALL TABLES IN SCHEMA s`: one dependency per statement, role and owning service.
        struct SchemaGrant: Hashable { var origin: Origin; var grantee: String; var schema: String; var owner: String }
        var schemaGrants: [SchemaGrant: (tables: [ObjectName], privileges: Privileges, allPublic: Bool)] = [:]
        for table in context.model.tables.values {
            for constraint in table.foreignKeys where !constraint.inherited {
                guard let target = constraint.references?.table else { continue }
                add(.foreignKey, from: table.owner?.service, to: context.owner(of: target),
                    object: "\(table.name.display).\(constraint.name)", target: target,
                    at: (constraint.referencesOrigin ?? constraint.origin).fileLocation)
            }
            for entry in table.privileges.entries {
                let qualified = table.name.qualified
                if grantOrigins[GrantKey(object: table.name, grantee: entry.grantee)] == nil,
                   let origin = grantOrigins[GrantKey(object: ObjectName(schema: qualified.schema, name: "*"), grantee: entry.grantee)],
                   let owner = table.owner?.service, let from = context.service(ofRole: entry.grantee), from != owner {
                    let key = SchemaGrant(origin: origin, grantee: entry.grantee, schema: qualified.schema ?? "public", owner: owner)
                    // Updated in place: taking the value out and storing it back would copy its table list each time.
                    let isPublic = manifest.isPublic(qualified, of: owner)
                    schemaGrants[key, default: ([], [], true)].tables.append(table.name)
                    schemaGrants[key, default: ([], [], true)].privileges.formUnion(entry.privileges)
                    if !isPublic { schemaGrants[key, default: ([], [], true)].allPublic = false }
                    continue
                }
                let origin = grantOrigins[GrantKey(object: table.name, grantee: entry.grantee)] ?? table.origin
                add(.grant, from: context.service(ofRole: entry.grantee), to: table.owner?.service,
                    object: "role \(entry.grantee)", target: table.name, at: origin.fileLocation.with(length: "GRANT".count),
                    writes: !entry.privileges.intersection(writePrivileges).isEmpty, privileges: entry.privileges.names.joined(separator: ", "))
            }
            for trigger in table.triggers {
                guard let function = functionsByName[trigger.function] ?? (trigger.function.schema == nil ? functionsByBareName[trigger.function.name] : nil)
                else { continue }
                add(.trigger, from: function.owner?.service, to: table.owner?.service,
                    object: "trigger \(trigger.name) runs \(function.name.display)()", target: table.name,
                    at: trigger.origin.fileLocation.with(length: "CREATE TRIGGER".count))
            }
            if let schema = table.name.schema, let schemaOwner = manifest.owner(ofSchema: schema), table.owner?.basis != .schema {
                add(.schema, from: table.owner?.service, to: schemaOwner, object: "table \(table.name.display)",
                    target: ObjectName(schema: schema, name: "*"), at: table.origin.fileLocation.with(length: table.name.display.count))
            }
        }
        for (key, aggregate) in schemaGrants {
            guard let from = context.service(ofRole: key.grantee) else { continue }
            let target = ObjectName(schema: key.schema, name: "*")
            let names = aggregate.tables.map(\.display).sorted()
            result.append(ServiceDependency(
                kind: .grant, from: from, to: key.owner, object: "role \(key.grantee)",
                target: "\(names.count) table\(names.count == 1 ? "" : "s") of schema \(key.schema) (\(names.prefix(3).joined(separator: ", "))\(names.count > 3 ? ", …" : ""))",
                targetName: target, location: key.origin.fileLocation.with(length: "GRANT".count),
                allowance: manifest.allowances.first { allowance in allowance.from == from && allowance.to == key.owner
                    && aggregate.tables.allSatisfy { allowance.covers(from: from, to: key.owner, object: $0) } },
                targetIsPublic: aggregate.allPublic, writes: !aggregate.privileges.intersection(writePrivileges).isEmpty,
                privileges: aggregate.privileges.names.joined(separator: ", ")))
        }
        // Functions: the owner of the function against the owner of each table its body uses.
        var functionOwners: [ObjectName: String] = [:]
        for function in context.model.functions.values { if let owner = function.owner?.service { functionOwners[function.name] = owner } }
        // Data statements: attributed to the services whose objects the same migration creates or changes.
        let codeAccesses = context.codeAccesses
        let dataPaths = Set(codeAccesses.filter { $0.function == nil }.map(\.location.path))
        var fileServices: [String: Set<String>] = [:]
        if !dataPaths.isEmpty {
            for table in context.model.tables.values where dataPaths.contains(table.origin.path) {
                if let owner = table.owner?.service { fileServices[table.origin.path, default: []].insert(owner) }
            }
            // The log runs file by file: each file's path is looked up once, not once per change.
            var lastPath = "", lastIsData = false
            for change in context.model.changes {
                if change.location.path != lastPath {
                    lastPath = change.location.path
                    lastIsData = dataPaths.contains(lastPath)
                }
                guard lastIsData else { continue }
                if case .setting = change.kind { continue }
                // A migration of two services already attributes nothing: no need to look further.
                if let known = fileServices[change.location.path], known.count > 1 { continue }
                if let owner = context.owner(of: change.table ?? change.object) { fileServices[change.location.path, default: []].insert(owner) }
            }
        }
        // Data statements are named by the migration's path within its directory: the same at a
        // pull request's base and head.
        let directory = context.migrations.directory.hasSuffix("/") ? context.migrations.directory : context.migrations.directory + "/"
        // Data statements come file by file: the previous one's file answers before any hashing.
        var lastPath = "", lastService: String?, lastFile = ""
        for access in codeAccesses {
            if let function = access.function {
                guard let from = functionOwners[function] else { continue }
                add(.function, from: from, to: context.queryOwner(of: access.relation),
                    object: "function \(function.display)()", target: access.relation, at: access.location, writes: access.writes)
            } else {
                if access.location.path != lastPath {
                    lastPath = access.location.path
                    // A migration that only creates or changes one service's objects is that service's: its
                    // data statements are that service writing. A migration of several services is ambiguous.
                    lastService = fileServices[lastPath].flatMap { $0.count == 1 ? $0.first : nil }
                    lastFile = lastPath.hasPrefix(directory) ? String(lastPath.dropFirst(directory.count)) : lastPath
                }
                guard let service = lastService else { continue }
                add(.dataWrite, from: service, to: context.queryOwner(of: access.relation),
                    object: "\(access.statement ?? "a data statement") in \(lastFile)",
                    target: access.relation, at: access.location, writes: true)
            }
        }
        for sequence in context.model.sequences.values {
            guard let table = sequence.ownedBy, let sequenceOwner = manifest.owner(ofSchema: sequence.name.schema ?? "public") else { continue }
            add(.sequence, from: sequenceOwner, to: context.owner(of: table),
                object: "sequence \(sequence.name.display)", target: table, at: sequence.origin.fileLocation)
        }
        for view in context.model.views.values {
            for read in view.reads {
                add(.view, from: view.owner?.service, to: context.queryOwner(of: read),
                    object: "\(view.materialized ? "materialized view" : "view") \(view.name.display)", target: read,
                    at: view.origin.fileLocation.with(length: view.name.display.count))
            }
        }
        for use in context.queries.uses {
            var seen = Set<ObjectName>()
            for access in use.query.accesses where seen.insert(access.relation).inserted {
                let writes = use.query.accesses.contains { $0.relation == access.relation && $0.kind == .write }
                add(writes ? .queryWrite : .queryRead, from: use.service, to: context.queryOwner(of: access.relation),
                    object: "\(use.shortLabel) (\(use.path))", target: access.relation,
                    at: context.queryLocation(use, access.offset, length: access.relation.name.count), writes: writes)
            }
        }
        // Total order (one GRANT can name several tables): reports are byte-for-byte repeatable.
        // Sorted through positions: moving a dependency (eight strings) costs more than an Int.
        let order = result.withUnsafeBufferPointer { dependencies in
            result.indices.sorted { reportOrder(dependencies[$0], dependencies[$1]) }
        }
        return order.map { result[$0] }
    }

    /// By (from, to, kind's name, location, target, object), field by field: most neighbours
    /// share their services, and a tuple would build every field (and the kind's name) first.
    static func reportOrder(_ left: ServiceDependency, _ right: ServiceDependency) -> Bool {
        if left.from != right.from { return left.from < right.from }
        if left.to != right.to { return left.to < right.to }
        if left.kind != right.kind { return left.kind.rawValue < right.kind.rawValue }
        if left.location != right.location { return left.location < right.location }
        if left.target != right.target { return left.target < right.target }
        return left.object < right.object
    }

    struct GrantKey: Hashable {
        var object: ObjectName
        var grantee: String
    }

    /// The last `GRANT` statement that named each object and grantee: where a grant dependency is written.
    static func grantStatements(_ model: SchemaModel) -> [GrantKey: Origin] {
        var origins: [GrantKey: Origin] = [:]
        for grant in model.grants where grant.isGrant {
            if grant.allInSchema {
                // `ON ALL TABLES IN SCHEMA s`: `objects` are the schemas.
                for schema in grant.objects {
                    for grantee in grant.grantees { origins[GrantKey(object: ObjectName(schema: schema.name, name: "*"), grantee: grantee)] = grant.origin }
                }
                continue
            }
            for object in grant.objects {
                for grantee in grant.grantees {
                    origins[GrantKey(object: object.qualified, grantee: grantee)] = grant.origin
                    origins[GrantKey(object: object, grantee: grantee)] = grant.origin
                }
            }
        }
        return origins
    }
}
