import StewardSQL

/// What a live database grants the services' roles, as `steward audit` reads it (StewardLive's
/// `AccessReader`): effective privileges (`has_table_privilege`, so through role membership
/// and PUBLIC too), owners, role attributes and the connection budget.
public struct AccessSnapshot: Sendable {
    public struct Role: Sendable, Hashable {
        public var name: String
        public var superuser: Bool
        public var bypassRowLevelSecurity: Bool
        /// `rolconnlimit`; -1 is unlimited.
        public var connectionLimit: Int
        /// Roles it inherits privileges from.
        public var memberOf: [String]

        public init(name: String, superuser: Bool, bypassRowLevelSecurity: Bool, connectionLimit: Int, memberOf: [String]) {
            self.name = name
            self.superuser = superuser
            self.bypassRowLevelSecurity = bypassRowLevelSecurity
            self.connectionLimit = connectionLimit
            self.memberOf = memberOf
        }
    }

    public struct Relation: Sendable {
        public var name: ObjectName
        /// `table`, `view`, `materialized view`, `sequence`, `schema`.
        public var kind: String
        public var ownerRole: String
        /// What each existing service role can do with it (effective, membership and PUBLIC included).
        public var privileges: [String: Privileges]
        /// Granted to PUBLIC.
        public var publicPrivileges: Privileges
        /// A sequence that belongs to a table's column (serial, identity): PostgreSQL gives it
        /// the table's owner, so its owner is the table's business.
        public var ownedByTable: Bool

        public init(name: ObjectName, kind: String, ownerRole: String, privileges: [String: Privileges], publicPrivileges: Privileges,
                    ownedByTable: Bool = false) {
            self.name = name
            self.kind = kind
            self.ownerRole = ownerRole
            self.privileges = privileges
            self.publicPrivileges = publicPrivileges
            self.ownedByTable = ownedByTable
        }
    }

    /// `ALTER DEFAULT PRIVILEGES`: objects `ownerRole` creates (in `schema`, or anywhere) get
    /// `privileges` for `grantee`.
    public struct DefaultPrivilege: Sendable, Hashable {
        public var ownerRole: String
        public var schema: String?
        public var objectKind: String
        public var grantee: String
        public var privileges: [String]

        public init(ownerRole: String, schema: String?, objectKind: String, grantee: String, privileges: [String]) {
            self.ownerRole = ownerRole
            self.schema = schema
            self.objectKind = objectKind
            self.grantee = grantee
            self.privileges = privileges
        }
    }

    /// Roles the manifest names that exist.
    public var roles: [Role]
    public var relations: [Relation]
    public var defaultPrivileges: [DefaultPrivilege]
    public var maxConnections: Int
    /// `superuser_reserved_connections`: not available to the services.
    public var reservedConnections: Int

    public init(roles: [Role], relations: [Relation], defaultPrivileges: [DefaultPrivilege], maxConnections: Int, reservedConnections: Int) {
        self.roles = roles
        self.relations = relations
        self.defaultPrivileges = defaultPrivileges
        self.maxConnections = maxConnections
        self.reservedConnections = reservedConnections
    }
}

/// The checks of `steward audit`, with their stable ids (used in JSON and in docs).
public enum AuditCheck: String, Sendable, CaseIterable {
    case crossServiceWritePrivilege = "cross-service-write-privilege"
    case crossServiceReadPrivilege = "cross-service-read-privilege"
    case wrongOwner = "wrong-owner"
    case superuserRole = "superuser-service-role"
    case bypassRowLevelSecurity = "bypassrls-service-role"
    case publicGrant = "public-grant"
    case unlimitedConnections = "unlimited-connections"
    case connectionBudget = "connection-budget-exceeded"
    case missingRole = "missing-service-role"
    case crossServiceDefaultPrivilege = "cross-service-default-privilege"

    public var severity: Severity {
        switch self {
        case .crossServiceWritePrivilege, .superuserRole, .bypassRowLevelSecurity, .connectionBudget: .error
        case .crossServiceReadPrivilege, .wrongOwner, .publicGrant, .unlimitedConnections, .missingRole, .crossServiceDefaultPrivilege: .warning
        }
    }
}

public struct AuditFinding: Sendable, Hashable {
    public var check: AuditCheck
    public var severity: Severity { check.severity }
    /// The service the finding is about (the role's, or the object's owner for PUBLIC grants).
    public var service: String?
    public var object: String?
    public var message: String
}

/// One service's access, for the report: its roles and what they can reach of other services.
public struct ServiceAccess: Sendable {
    public var service: String
    public var roles: [AccessSnapshot.Role]
    /// Relations of other services its roles can read or write: name → (owner, privileges).
    public var foreignAccess: [(relation: ObjectName, owner: String, privileges: Privileges)]
    public var ownedRelations: Int
}

public struct PrivilegeAuditResult: Sendable {
    public var findings: [AuditFinding]
    public var services: [ServiceAccess]
    public var snapshot: AccessSnapshot
    public var errorCount: Int { findings.count { $0.severity == .error } }
}

public enum PrivilegeAudit {
    static let writes: Privileges = [.insert, .update, .delete, .truncate]

    /// `owner`: the service owning a relation (the model's, else the manifest's patterns).
    public static func run(_ snapshot: AccessSnapshot, manifest: OwnershipManifest, owner: (AccessSnapshot.Relation) -> String?) -> PrivilegeAuditResult {
        var findings: [AuditFinding] = []
        let existing = Dictionary(snapshot.roles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var serviceOfRole: [String: String] = [:]
        for service in manifest.services {
            for role in service.roles { serviceOfRole[role] = service.name }
        }
        for service in manifest.services {
            for role in service.roles {
                guard let found = existing[role] else {
                    findings.append(AuditFinding(check: .missingRole, service: service.name, object: role,
                                                 message: "\(service.name)'s role \(role) (ownership.yml) does not exist in the database"))
                    continue
                }
                if found.superuser {
                    findings.append(AuditFinding(check: .superuserRole, service: service.name, object: role,
                                                 message: "\(service.name)'s role \(role) is a superuser: it bypasses every grant and boundary"))
                }
                if found.bypassRowLevelSecurity {
                    findings.append(AuditFinding(check: .bypassRowLevelSecurity, service: service.name, object: role,
                                                 message: "\(service.name)'s role \(role) has BYPASSRLS: row-level security does not apply to it"))
                }
                if found.connectionLimit < 0 {
                    findings.append(AuditFinding(check: .unlimitedConnections, service: service.name, object: role,
                                                 message: "\(service.name)'s role \(role) has no connection limit: one service can exhaust the shared max_connections (\(snapshot.maxConnections)); ALTER ROLE \(role) CONNECTION LIMIT n"))
                }
            }
        }
        let serviceRoles = manifest.services.flatMap(\.roles).compactMap { existing[$0] }
        let budget = snapshot.maxConnections - snapshot.reservedConnections
        let limited = serviceRoles.filter { $0.connectionLimit >= 0 }.map(\.connectionLimit).reduce(0, +)
        if serviceRoles.allSatisfy({ $0.connectionLimit >= 0 }), !serviceRoles.isEmpty, limited > budget {
            findings.append(AuditFinding(check: .connectionBudget, service: nil, object: nil,
                                         message: "the services' connection limits add up to \(limited), more than the \(budget) connections the server allows them (max_connections \(snapshot.maxConnections) - superuser_reserved_connections \(snapshot.reservedConnections))"))
        }

        var foreign: [String: [(relation: ObjectName, owner: String, privileges: Privileges)]] = [:]
        var owned: [String: Int] = [:]
        for relation in snapshot.relations {
            guard let ownerService = owner(relation) else { continue }
            owned[ownerService, default: 0] += 1
            let label = "\(relation.kind) \(relation.name)"
            if let roleService = serviceOfRole[relation.ownerRole], roleService != ownerService, !relation.ownedByTable {
                findings.append(AuditFinding(check: .wrongOwner, service: ownerService, object: relation.name.description,
                                             message: "\(label) belongs to \(ownerService) but is owned by \(roleService)'s role \(relation.ownerRole): the owner can alter or drop it"))
            }
            if !relation.publicPrivileges.isEmpty, relation.kind != "schema" {
                findings.append(AuditFinding(check: .publicGrant, service: ownerService, object: relation.name.description,
                                             message: "\(label) (\(ownerService)) grants \(relation.publicPrivileges.names.joined(separator: ", ")) to PUBLIC: every role, every service, has it"))
            }
            for (role, effective) in relation.privileges.sorted(by: { $0.key < $1.key }) {
                // What everyone has through PUBLIC is the public-grant finding, not each service's.
                let privileges = effective.subtracting(relation.publicPrivileges)
                guard let roleService = serviceOfRole[role], roleService != ownerService, !privileges.isEmpty,
                      relation.ownerRole != role else { continue }
                foreign[roleService, default: []].append((relation.name, ownerService, privileges))
                let allowed = manifest.allowance(from: roleService, to: ownerService, object: relation.name) != nil
                let isPublic = manifest.isPublic(relation.name, of: ownerService)
                let writing = relation.kind == "schema" ? privileges.intersection(.create) : privileges.intersection(writes)
                if !writing.isEmpty, !isPublic, !allowed {
                    findings.append(AuditFinding(check: .crossServiceWritePrivilege, service: roleService, object: relation.name.description,
                                                 message: "\(roleService)'s role \(role) can \(writing.names.joined(separator: ", ")) \(label), private to \(ownerService)"))
                } else if writing.isEmpty, privileges.contains(.select) || privileges.contains(.usage), !isPublic, !allowed, relation.kind != "schema" {
                    findings.append(AuditFinding(check: .crossServiceReadPrivilege, service: roleService, object: relation.name.description,
                                                 message: "\(roleService)'s role \(role) can read \(label), private to \(ownerService), and no boundaries.allow entry says it may"))
                }
            }
        }
        // Default privileges decide the grants of tables not created yet: a service's role that
        // gives another service's role write access to whatever it creates.
        for entry in snapshot.defaultPrivileges where entry.objectKind == "tables" {
            guard let ownerService = serviceOfRole[entry.ownerRole], let granteeService = serviceOfRole[entry.grantee],
                  ownerService != granteeService else { continue }
            let writing = entry.privileges.compactMap { Privileges(name: $0) }.reduce(into: Privileges()) { $0.insert($1) }.intersection(writes)
            guard !writing.isEmpty else { continue }
            findings.append(AuditFinding(check: .crossServiceDefaultPrivilege, service: granteeService, object: entry.ownerRole,
                                         message: "tables \(ownerService)'s role \(entry.ownerRole) creates\(entry.schema.map { " in \($0)" } ?? "") grant \(writing.names.joined(separator: ", ")) to \(granteeService)'s role \(entry.grantee) (ALTER DEFAULT PRIVILEGES): every new table starts writable across the boundary"))
        }
        let services = manifest.services.map { service in
            ServiceAccess(service: service.name, roles: service.roles.compactMap { existing[$0] },
                          foreignAccess: foreign[service.name] ?? [], ownedRelations: owned[service.name] ?? 0)
        }
        findings.sort { lhs, rhs in
            lhs.severity != rhs.severity ? lhs.severity > rhs.severity : (lhs.check.rawValue, lhs.object ?? "", lhs.message) < (rhs.check.rawValue, rhs.object ?? "", rhs.message)
        }
        return PrivilegeAuditResult(findings: findings, services: services, snapshot: snapshot)
    }
}
