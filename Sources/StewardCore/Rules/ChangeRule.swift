import StewardSQL

/// A rule that looks at the change log one change at a time.
public protocol ChangeRule: Rule {
    /// The kinds of change the rule can flag: `finding(for:in:)` is asked about these only.
    static var changeKinds: [SchemaChange.Kind.Tag] { get }
    func finding(for change: SchemaChange, in context: RuleContext) -> Finding?
}

extension ChangeRule {
    public var readsChangeLogOnly: Bool { true }

    public func check(_ context: RuleContext) -> [Finding] {
        let changes = context.model.changes
        return context.changeLogIndex.positions(of: Self.changeKinds).compactMap { position in
            let change = changes[position]
            guard var result = finding(for: change, in: context) else { return nil }
            if result.hasNoObjects { result.objects = change.findingObjects }
            return result
        }
    }
}

extension SchemaChange {
    /// What the change is about, as finding data: the column, constraint or index it names,
    /// on its table, or the view, function, type, schema or setting itself.
    public var findingObjects: [FindingObject] {
        let relation = table ?? object
        switch kind {
        case .dropTable, .renameTable, .rewrite, .changePrimaryKey: return [.relation(object)]
        case .dropColumn(let column, _), .changeColumnType(let column, _, _, _), .setNotNull(let column, _), .dropDefault(let column):
            return [.relation(object, kind: .column, column: column)]
        case .addColumn(let column, _, _, _, _, _): return [.relation(object, kind: .column, column: column)]
        case .renameColumn(let from, _): return [.relation(object, kind: .column, column: from)]
        case .addConstraint(let name, _, _, _, _, _): return [.relation(relation, kind: .constraint, constraint: name)]
        case .createIndex(let name, _, _): return [FindingObject(kind: .index, schema: relation.schema ?? "public", table: relation.name, name: name)]
        case .dropIndex: return [FindingObject(kind: .index, schema: object.schema ?? "public", table: table?.name, name: object.name)]
        case .dropSchema: return [FindingObject(kind: .schema, schema: object.name)]
        case .dropView: return [.relation(object, kind: .view)]
        case .dropFunction(let signature): return [FindingObject(kind: .function, schema: object.schema ?? "public", name: signature)]
        case .renameEnumValue(let from, _): return [FindingObject(kind: .type, schema: object.schema ?? "public", column: from, name: object.name)]
        case .tableOperation: return [.relation(relation)]
        case .setting: return [FindingObject(kind: .setting, name: object.name)]
        }
    }
}

/// PostgreSQL's table lock modes that migrations take, strongest first, with what each one
/// makes other sessions wait for.
public enum TableLock: String, Sendable, CaseIterable {
    case accessExclusive = "ACCESS EXCLUSIVE"
    case exclusive = "EXCLUSIVE"
    case shareRowExclusive = "SHARE ROW EXCLUSIVE"
    case share = "SHARE"
    case shareUpdateExclusive = "SHARE UPDATE EXCLUSIVE"

    public var blocks: String {
        switch self {
        case .accessExclusive: "blocks reads and writes"
        case .exclusive: "blocks writes; reads continue"
        case .shareRowExclusive, .share: "blocks writes"
        case .shareUpdateExclusive: "blocks other schema changes and VACUUM; reads and writes continue"
        }
    }

    /// `ACCESS EXCLUSIVE: blocks reads and writes`, for rule documentation.
    public var summary: String { "\(rawValue): \(blocks)" }

    /// `LOCK TABLE … IN mode MODE`: Postgres's lock mode numbers (lockdefs.h).
    public init?(mode: Int) {
        switch mode {
        case 8: self = .accessExclusive
        case 7: self = .exclusive
        case 6: self = .shareRowExclusive
        case 5: self = .share
        case 4: self = .shareUpdateExclusive
        default: return nil
        }
    }
}

extension RuleContext {
    /// The table (or object) was created in the same file, or in a migration that is still
    /// pending (`--since`): it is new and empty, so locking it blocks no one.
    public func isNew(_ change: SchemaChange) -> Bool {
        guard let createdIn = change.createdIn else { return false }
        return createdIn == change.location.path || settings.history?.pending.contains(createdIn) == true
    }

    /// The service owning an object by the manifest; a renamed table keeps the owner its
    /// earlier name had.
    public func owner(of name: ObjectName) -> String? {
        guard let manifest else { return nil }
        let qualified = name.qualified
        if let owner = manifest.owner(of: qualified) { return owner.service }
        if let parent = partitionParents[qualified], let owner = manifest.owner(of: parent) { return owner.service }
        // A renamed table (or a name renamed later): the names its history holds.
        for former in renameHistories[qualified] ?? [] {
            if let owner = manifest.owner(of: former) { return owner.service }
        }
        return nil
    }

    /// The service that connects as `role` (`roles:` in the manifest).
    public func service(ofRole role: String) -> String? {
        manifest?.services.first { $0.roles.contains(role) }?.name
    }

    /// ` (@org/team)`: the owners of a service, for naming who must agree to a change.
    func ownersSuffix(_ service: String) -> String {
        let owners = manifest?.service(named: service)?.owners ?? []
        return owners.isEmpty ? "" : " (\(owners.joined(separator: ", ")))"
    }

    /// The other services' queries that a drop, rename or type change breaks: those touching the
    /// column (or, for a table, the table at all), by service.
    public func queriesBroken(by change: SchemaChange, owner: String?) -> [(service: String, uses: [QueryUse], verb: String)] {
        guard !queries.isEmpty else { return [] }
        let column: String?
        switch change.kind {
        case .dropTable, .renameTable: column = nil
        case .dropColumn(let name, _): column = name
        case .renameColumn(let from, _): column = from
        case .changeColumnType(let name, _, _, _): column = name
        default: return []
        }
        let relation = change.object.qualified
        var byService: [String: [QueryUse]] = [:]
        var kinds: [String: Set<QueryAccess.Kind>] = [:]
        var seen = Set<String>()
        for use in queries.uses(of: relation, column: column, notBy: owner)
        where seen.insert("\(use.service) \(use.path):\(use.query.range.lowerBound)").inserted {
            byService[use.service, default: []].append(use)
            for access in use.query.accesses where access.relation == relation && (column == nil || access.column == column) {
                kinds[use.service, default: []].insert(access.kind)
            }
        }
        return byService.keys.sorted().map { service in
            let used = kinds[service] ?? [.write]
            let verb = used.contains(.write) ? (used.contains(.read) ? "reads and writes" : "writes") : "reads"
            return (service, byService[service]!, verb)
        }
    }

    /// Services other than the object's owner that depend on it, with what they hold.
    public func otherServices(dependingOn change: SchemaChange) -> [(service: String, dependents: [Dependent])] {
        let owner = owner(of: change.object)
        var result: [String: [Dependent]] = [:]
        for dependent in change.dependents {
            let service = dependent.kind == .grant ? self.service(ofRole: dependent.detail) : self.owner(of: dependent.object)
            guard let service, service != owner else { continue }
            result[service, default: []].append(dependent)
        }
        return result.keys.sorted().map { ($0, result[$0]!) }
    }
}

extension Rule {
    /// A breaking change: an error naming the services (and their owners) that depend on the
    /// object when there are any; otherwise the rule's default severity.
    func breakingFinding(_ change: SchemaChange, _ message: String, in context: RuleContext, help: String? = nil) -> Finding {
        let owner = context.owner(of: change.object)
        let others = context.otherServices(dependingOn: change)
        let queries = context.queriesBroken(by: change, owner: owner)
        var text = message
        if let owner { text += " (owned by `\(owner)`)" }
        if !others.isEmpty {
            text += ": " + others.map { other in
                "service `\(other.service)`\(context.ownersSuffix(other.service)) depends on it through \(other.dependents.map(\.description).joined(separator: ", "))"
            }.joined(separator: "; ")
        } else if !change.dependents.isEmpty {
            text += "; depended on by \(change.dependents.map(\.description).joined(separator: ", "))"
        }
        if !queries.isEmpty {
            text += (others.isEmpty ? ": " : "; ") + queries.map { service, uses, verb in
                "service `\(service)`\(context.ownersSuffix(service)) \(verb) it in \(uses.map(\.label).joined(separator: ", "))"
            }.joined(separator: "; ")
        }
        let dependentServices = others.map(\.service) + queries.map(\.service).filter { service in !others.contains { $0.service == service } }
        // Patterns read an unqualified name as `public`'s.
        let isPublic = owner.map { context.manifest?.isPublic(change.object, of: $0) ?? false } ?? false
        if isPublic { text += "; \(change.object.display) is public in ownership.yml: other services may rely on it" }
        var result = finding(text, help: help, at: change.location, services: (owner.map { [$0] } ?? []) + dependentServices)
        if !dependentServices.isEmpty || isPublic { result.severity = .error }
        return result
    }

    /// A lock finding: the lock, what it blocks, and what else the statement does to the table.
    func lockFinding(_ change: SchemaChange, _ action: String, lock: TableLock, effect: String? = nil, in context: RuleContext,
                     help: String? = nil) -> Finding {
        let table = change.table ?? change.object
        let owner = context.owner(of: table)
        let article = lock == .accessExclusive || lock == .exclusive ? "an" : "a"
        var text = "\(action) takes \(article) \(lock.rawValue) lock on \(table.display) (\(lock.blocks))"
        if let effect { text += " \(effect)" }
        if let owner { text += "; \(table.display) belongs to `\(owner)`" }
        return finding(text, help: help, at: change.location, services: owner.map { [$0] } ?? [])
    }
}
