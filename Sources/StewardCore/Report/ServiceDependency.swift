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
        // `object` is worked out only for a dependency that crosses services: most data statements
        // write their own service's tables.
        func add(_ kind: Kind, from: String?, to: String?, object: @autoclosure () -> String, target: ObjectName, at location: FileLocation,
                 writes: Bool = false, privileges: String? = nil) {
            guard let from, let to, from != to else { return }
            let qualified = target.qualified
            let key = VerdictKey(from: from, to: to, object: qualified)
            let verdict = verdicts[key] ?? {
                let computed = (allowance: manifest.allowance(from: from, to: to, object: qualified), isPublic: manifest.isPublic(qualified, of: to))
                verdicts[key] = computed
                return computed
            }()
            result.append(ServiceDependency(kind: kind, from: from, to: to, object: object(), target: target.display, targetName: qualified,
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
            for index in table.foreignKeyIndices where !table.constraints[index].inherited {
                guard let target = table.constraints[index].references?.table else { continue }
                add(.foreignKey, from: table.owner?.service, to: context.owner(of: target),
                    object: "\(table.name.display).\(table.constraints[index].name)", target: target,
                    at: (table.constraints[index].referencesOrigin ?? table.constraints[index].origin).fileLocation)
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
            // The first three names in order: a schema can hold thousands of tables.
            var first: [String] = []
            for table in aggregate.tables {
                let name = table.display
                guard first.count < 3 || name < first[2] else { continue }
                first.insert(name, at: first.firstIndex { name < $0 } ?? first.endIndex)
                if first.count > 3 { first.removeLast() }
            }
            let count = aggregate.tables.count
            result.append(ServiceDependency(
                kind: .grant, from: from, to: key.owner, object: "role \(key.grantee)",
                target: "\(count) table\(count == 1 ? "" : "s") of schema \(key.schema) (\(first.joined(separator: ", "))\(count > 3 ? ", …" : ""))",
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
        // Read in place, by index: a `for … in` copies each access (its strings retained).
        let dataAccesses = context.model.codeAccesses
        var dataPaths = Set<String>()
        for index in dataAccesses.indices where dataAccesses[index].location.path != (index > 0 ? dataAccesses[index - 1].location.path : nil) {
            dataPaths.insert(dataAccesses[index].location.path)
        }
        var fileServices: [String: Set<String>] = [:]
        if !dataPaths.isEmpty {
            for table in context.model.tables.values where dataPaths.contains(table.origin.path) {
                if let owner = table.owner?.service { fileServices[table.origin.path, default: []].insert(owner) }
            }
            // The log runs file by file: each file's services are gathered in `services` and stored
            // when the next file begins, not looked up by path for every change.
            var path = "", isData = false, services: Set<String> = []
            var lastObject: ObjectName?
            func store() { if isData, !services.isEmpty { fileServices[path] = services } }
            for change in context.model.changes {
                if change.location.path != path {
                    store()
                    path = change.location.path
                    isData = dataPaths.contains(path)
                    services = fileServices[path] ?? []
                    lastObject = nil
                }
                // A migration of two services already attributes nothing: no need to look further.
                guard isData, services.count < 2 else { continue }
                if case .setting = change.kind { continue }
                // Consecutive changes mostly touch one table (its columns, constraints, indexes).
                let object = change.table ?? change.object
                guard object != lastObject else { continue }
                lastObject = object
                if let owner = context.owner(of: object) { services.insert(owner) }
            }
            store()
        }
        // Data statements are named by the migration's path within its directory: the same at a
        // pull request's base and head.
        let directory = context.migrations.directory.hasSuffix("/") ? context.migrations.directory : context.migrations.directory + "/"
        // Data statements come file by file, and often several write one table: the previous one's
        // file and table answer before any hashing.
        var lastPath = "", lastService: String?, lastFile = ""
        var lastRelation: ObjectName?, lastRelationOwner: String?
        for index in dataAccesses.indices {
            if dataAccesses[index].location.path != lastPath {
                lastPath = dataAccesses[index].location.path
                // A migration that only creates or changes one service's objects is that service's: its
                // data statements are that service writing. A migration of several services is ambiguous.
                lastService = fileServices[lastPath].flatMap { $0.count == 1 ? $0.first : nil }
                lastFile = lastPath.hasPrefix(directory) ? String(lastPath.dropFirst(directory.count)) : lastPath
            }
            guard let service = lastService else { continue }
            if dataAccesses[index].relation != lastRelation {
                lastRelation = dataAccesses[index].relation
                lastRelationOwner = context.queryOwner(of: dataAccesses[index].relation)
            }
            add(.dataWrite, from: service, to: lastRelationOwner,
                object: "\(dataAccesses[index].statement ?? "a data statement") in \(lastFile)",
                target: dataAccesses[index].relation, at: dataAccesses[index].location, writes: true)
        }
        for access in context.functionAccesses {
            guard let function = access.function, let from = functionOwners[function] else { continue }
            add(.function, from: from, to: context.queryOwner(of: access.relation), object: "function \(function.display)()",
                target: access.relation, at: access.location, writes: access.writes)
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
        result.rearrange(by: reportOrder(of: result))
        return result
    }

    /// The positions of `dependencies` in report order (`reportOrder`). Sorted on a packed key
    /// first (the ranks of both services, of the kind and of the path, each as `reportOrder`
    /// sorts them, then line and column), which decides almost every comparison without
    /// comparing a string; equal keys fall back to `reportOrder`, so the order is exactly its order.
    static func reportOrder(of dependencies: [ServiceDependency]) -> [Int] {
        // Ids in order of appearance: dependencies come in runs of one service pair and file.
        var fromIDs = FirstAppearanceIDs(), toIDs = FirstAppearanceIDs(), pathIDs = FirstAppearanceIDs()
        let ids = dependencies.map { dependency in
            (from: fromIDs.id(of: dependency.from).id, to: toIDs.id(of: dependency.to).id, path: pathIDs.id(of: dependency.location.path).id)
        }
        let fromRank = fromIDs.ranks(), toRank = toIDs.ranks(), pathRank = pathIDs.ranks()
        let keys = dependencies.indices.map { index in
            var key = PackedSortKey.Builder()
            key.append(fromRank[ids[index].from], bits: 16)
            key.append(toRank[ids[index].to], bits: 16)
            key.append(kindRank[dependencies[index].kind]!, bits: 8)
            key.append(pathRank[ids[index].path], bits: 24)
            key.append(dependencies[index].location.line, bits: 40)
            key.append(dependencies[index].location.column, bits: 24)
            return key.key
        }
        return PackedSortKey.order(of: dependencies, keys: keys, by: reportOrder)
    }

    /// Each kind's rank among the kinds sorted by name, as `reportOrder` compares them.
    private static let kindRank: [Kind: Int] = Dictionary(
        uniqueKeysWithValues: Kind.allCases.sorted { $0.rawValue < $1.rawValue }.enumerated().map { ($1, $0) })

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
