import Foundation
import StewardSQL

/// `ownership.yml`: which service owns which part of the shared database and cache.
public struct OwnershipManifest: Sendable {
    public let path: String
    public let version: Int
    /// In file order.
    public let services: [Service]
    public let teams: [String: Team]
    public let allowances: [BoundaryAllowance]
    /// The manifest's text, for showing the lines findings point at.
    public let source: SourceText
    /// `cache: {prefix_pattern: …}`: the shape every service's key prefixes must have, with
    /// `{service}` for the service's name and `*` for any text (default `{service}*:`).
    public internal(set) var cachePrefixPattern = ManifestString(text: OwnershipManifest.defaultCachePrefixPattern, line: 0, column: 0)

    public static let defaultCachePrefixPattern = "{service}*:"
    /// `review:`: approvals a schema change needs.
    public internal(set) var review = ReviewPolicy()
    /// `rules:`: per rule id or category, its level, excluded paths and per-service levels.
    public internal(set) var rules: [String: RuleSetting] = [:]
    /// Lookup tables built once, so that ownership of 100k objects is not 100k scans of every pattern.
    let ownershipIndex: OwnershipIndex
    /// Each service's position in `services`, by name (the first, should a name repeat): rules
    /// ask for a service by name once per finding.
    private let servicePositions: [String: Int]
    /// The service that lists each schema under `schemas:` (the first, should two list it).
    private let schemaOwners: [String: String]

    public init(path: String, version: Int = 1, services: [Service], teams: [String: Team] = [:],
                allowances: [BoundaryAllowance] = [], source: SourceText = SourceText(bytes: [])) {
        self.path = path
        self.version = version
        self.services = services
        self.teams = teams
        self.allowances = allowances
        self.source = source
        ownershipIndex = OwnershipIndex(services)
        servicePositions = Dictionary(services.indices.map { (services[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        schemaOwners = Dictionary(services.flatMap { service in service.schemas.map { ($0, service.name) } },
                                  uniquingKeysWith: { first, _ in first })
    }

    public func service(named name: String) -> Service? { servicePositions[name].map { services[$0] } }
}

public struct Service: Sendable, Codable {
    public var name: String
    public var description: String?
    /// `@user` or `@org/team`.
    public var owners: [String]
    public var tables: [TablePattern]
    /// Schema-per-service: every object in these schemas belongs to the service.
    public var schemas: [String]
    public var roles: [String]
    public var cachePrefixes: [ManifestString]
    /// `public:`: the service's tables (patterns; `schema.*` for a whole schema) that other
    /// services may depend on, a contract. Everything else of the service is private.
    public var publicTables: [TablePattern] = []
    /// Where `cache:` is written: the service uses the shared cache (nil: it does not say so).
    public var cacheDeclaration: ManifestString?
    public var line: Int
    /// `queries:`: the SQL files the service runs.
    public var queries: [QuerySource] = []
}

/// A `queries:` entry: a glob of query files (relative to the manifest), optionally narrowed
/// to some of their queries by sqlc name (`only`) or widened to all but some (`except`).
public struct QuerySource: Sendable, Codable, Hashable {
    public var path: ManifestString
    public var only: [String]
    public var except: [String]

    public init(path: ManifestString, only: [String] = [], except: [String] = []) {
        self.path = path
        self.only = only
        self.except = except
    }

    /// Whether the entry narrows the file to some of its queries.
    public var isFiltered: Bool { !only.isEmpty || !except.isEmpty }

    /// Whether a query of a file this entry matched belongs to it. An unnamed query (no sqlc
    /// annotation) is selected only by an entry without `only`.
    public func selects(queryNamed name: String?) -> Bool {
        if !only.isEmpty {
            guard let name, only.contains(where: { Glob.matches($0, name) }) else { return false }
        }
        if let name, except.contains(where: { Glob.matches($0, name) }) { return false }
        return true
    }
}

/// A string of the manifest with its position, for findings that point into ownership.yml.
public struct ManifestString: Sendable, Codable, Hashable {
    public var text: String
    public var line: Int
    public var column: Int
}

public struct Team: Sendable, Codable {
    public var name: String
    public var members: [String]
}

/// A `tables:` entry: `orders`, `billing.invoices` or a glob such as `billing_*`.
public struct TablePattern: Sendable, Codable, Hashable {
    public var text: String
    public var schema: String?
    public var name: String
    public var line: Int
    public var column: Int

    public init(text: String, line: Int, column: Int) {
        self.text = text
        self.line = line
        self.column = column
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            schema = parts[0]
            name = parts[1]
        } else {
            schema = nil
            name = text
        }
    }

    public var isGlob: Bool { name.contains("*") || name.contains("?") || (schema?.contains("*") ?? false) }

    public func matches(_ table: ObjectName) -> Bool {
        if let schema, !Glob.matches(schema, table.schema ?? "public") { return false }
        return Glob.matches(name, table.name)
    }
}

/// A documented exception: `from` may depend on `to` through `objects`, for `reason`.
public struct BoundaryAllowance: Sendable, Codable {
    public var from: String
    public var to: String
    /// Objects of `to` that `from` may depend on; empty means any.
    public var objects: [TablePattern]
    public var reason: String
    public var line: Int

    public func covers(from source: String, to target: String, object: ObjectName) -> Bool {
        source == from && target == to && (objects.isEmpty || objects.contains { $0.matches(object) })
    }

    /// This entry as the reason a finding is allowed.
    public func allowance(in manifest: OwnershipManifest) -> Allowance {
        Allowance(source: .boundaryAllow, path: manifest.path, line: line, reason: reason)
    }
}

/// Shell-style `*` and `?` matching, for table patterns.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

/// Who owns an object, and why Steward thinks so.
public struct Ownership: Sendable, Codable, Hashable {
    public enum Basis: String, Sendable, Codable {
        case table = "tables entry", schema = "schema", glob = "tables pattern", inferred = "inferred"
    }

    public var service: String
    public var basis: Basis
}

extension OwnershipManifest {
    /// Precedence: an exact `schema.table` entry, then a schema claim, then an exact
    /// unqualified entry, then a glob. Unqualified entries match the name in any schema.
    public func owner(of table: ObjectName) -> Ownership? { ownershipIndex.owner(of: table) }

    /// Whether `service` declares the relation public (`public:`): a contract other services
    /// may depend on. Everything else is private to its owner.
    public func isPublic(_ relation: ObjectName, of service: String) -> Bool {
        // In place: `service(named:)` would copy the service out.
        servicePositions[service].map { services[$0].publicTables.contains { $0.matches(relation) } } ?? false
    }
    public func owner(ofSchema schema: String) -> String? { schemaOwners[schema] }

    public func allowance(from source: String, to target: String, object: ObjectName) -> BoundaryAllowance? {
        allowances.first { $0.covers(from: source, to: target, object: object) }
    }
}

/// Exact names in dictionaries, globs in a list: `owner(of:)` is O(1) for the usual manifest.
final class OwnershipIndex: Sendable {
    private let qualified: [ObjectName: String]
    private let unqualified: [String: String]
    private let schemas: [String: String]
    private let globs: [(TablePattern, String)]

    init(_ services: [Service]) {
        var qualified: [ObjectName: String] = [:], unqualified: [String: String] = [:], schemas: [String: String] = [:]
        var globs: [(TablePattern, String)] = []
        for service in services {
            for pattern in service.tables {
                if pattern.isGlob {
                    globs.append((pattern, service.name))
                } else if let schema = pattern.schema {
                    if qualified[ObjectName(schema: schema, name: pattern.name)] == nil { qualified[ObjectName(schema: schema, name: pattern.name)] = service.name }
                } else if unqualified[pattern.name] == nil {
                    unqualified[pattern.name] = service.name
                }
            }
            for schema in service.schemas where schemas[schema] == nil { schemas[schema] = service.name }
        }
        self.qualified = qualified
        self.unqualified = unqualified
        self.schemas = schemas
        self.globs = globs
    }

    func owner(of table: ObjectName) -> Ownership? {
        let schema = table.schema ?? "public"
        if let service = qualified[ObjectName(schema: schema, name: table.name)] { return Ownership(service: service, basis: .table) }
        if let service = schemas[schema] { return Ownership(service: service, basis: .schema) }
        if let service = unqualified[table.name] { return Ownership(service: service, basis: .table) }
        if let (_, service) = globs.first(where: { $0.0.matches(table) }) { return Ownership(service: service, basis: .glob) }
        return nil
    }

}
