import StewardSQL

/// A rule that looks at the change log one change at a time.
public protocol ChangeRule: Rule {
    func finding(for change: SchemaChange, in context: RuleContext) -> Finding?
}

extension ChangeRule {
    public func check(_ context: RuleContext) -> [Finding] {
        context.model.changes.compactMap { finding(for: $0, in: context) }
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
        let qualified = name.schema == nil ? ObjectName(schema: "public", name: name.name) : name
        if let owner = manifest.owner(of: qualified) { return owner.service }
        // Through the index: a subscript would copy the table out, once per finding.
        if let index = model.tables.index(forKey: qualified), let parent = model.tables.values[index].partitionOf,
           let owner = manifest.owner(of: parent) { return owner.service }
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
        var text = message
        if let owner { text += " (owned by `\(owner)`)" }
        if !others.isEmpty {
            text += ": " + others.map { other in
                let owners = context.manifest?.service(named: other.service)?.owners ?? []
                let who = owners.isEmpty ? "" : " (\(owners.joined(separator: ", ")))"
                return "service `\(other.service)`\(who) depends on it through \(other.dependents.map(\.description).joined(separator: ", "))"
            }.joined(separator: "; ")
        } else if !change.dependents.isEmpty {
            text += "; depended on by \(change.dependents.map(\.description).joined(separator: ", "))"
        }
        var result = finding(text, help: help, at: change.location, services: (owner.map { [$0] } ?? []) + others.map(\.service))
        if !others.isEmpty { result.severity = .error }
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
