import StewardSQL

/// `steward report`: who owns what in the shared database, how the services depend on each
/// other, and what each would have to cut to move to its own database. Built from one
/// analysis (the replayed model, the manifest, the queries and the findings); no I/O.
public struct OwnershipReport: Sendable, Encodable {
    public struct TableSummary: Sendable, Encodable {
        public var name: String
        public var columns: Int
        public var indexes: Int
        public var constraints: Int
        /// `public` (a contract others may depend on) or `private`.
        public var access: String
    }

    public struct MigrationSpan: Sendable, Encodable {
        public var count: Int
        public var first: String?
        public var last: String?
    }

    public struct ServiceSection: Sendable, Encodable {
        public var name: String
        public var description: String?
        public var owners: [String]
        public var schemas: [String]
        public var roles: [String]
        public var cachePrefixes: [String]
        public var tables: [TableSummary]
        public var views: [String]
        public var migrations: MigrationSpan
        public var incoming: Int
        public var outgoing: Int
        /// What must be cut to move the service to its own database: its dependencies on
        /// others and theirs on it.
        public var toCut: [ServiceDependency]
        public var readiness: Readiness
    }

    /// How far a service is from leaving the shared database.
    public enum Readiness: String, Sendable, Encodable {
        /// No cross-service dependency in either direction.
        case ready
        /// Only query-level or documented (`boundaries.allow`) dependencies: code and contracts to change.
        case contractsOnly = "contracts only"
        /// Undocumented schema-level dependencies (foreign keys, views, grants) to cut first.
        case entangled
    }

    public struct Edge: Sendable, Encodable {
        public var from: String
        public var to: String
        public var kinds: [String: Int]
        public var total: Int
    }

    public struct Signals: Sendable, Encodable {
        /// Migrations that created or changed objects of more than one service.
        public var multiServiceMigrations: Int
        public var migrations: Int
        /// Cross-service schema dependencies (foreign keys, views) in the first and second half of the history.
        public var schemaEdgesFirstHalf: Int
        public var schemaEdgesSecondHalf: Int
        /// Breaking-change findings (drops, renames, type changes) over the history.
        public var breakingChanges: Int
        public var breakingChangesAffectingOthers: Int
    }

    public var services: [ServiceSection]
    public var edges: [Edge]
    public var dependencies: [ServiceDependency]
    public var allowedExceptions: [ServiceDependency]
    public var unownedTables: [String]
    public var unownedViews: [String]
    public var signals: Signals
    /// Size, writes and database time per service, with `report --stats` (nil without).
    public var load: [ServiceLoad]?
    public var layout: String
    public var migrationCount: Int
    public var statementCount: Int

    /// `findings`: the check's findings over the whole history (every rule), for the signals.
    public static func build(model: SchemaModel, manifest: OwnershipManifest?, migrations: MigrationSet, queries: QueryInventory,
                             findings: [Finding]) -> OwnershipReport {
        let context = RuleContext(model: model, manifest: manifest, migrations: migrations, queries: queries)
        let dependencies = context.serviceDependencies
        let order = Dictionary(migrations.files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })

        // Which services each migration touched: the tables and views it created, the objects it changed.
        var touched: [String: Set<String>] = [:]
        for table in model.tables.values { if let owner = table.owner?.service { touched[table.origin.path, default: []].insert(owner) } }
        for view in model.views.values { if let owner = view.owner?.service { touched[view.origin.path, default: []].insert(owner) } }
        for change in model.changes {
            if let owner = context.owner(of: change.table ?? change.object) { touched[change.location.path, default: []].insert(owner) }
        }

        // A migration that creates a dependency across services touches both.
        for dependency in dependencies where dependency.kind == .foreignKey || dependency.kind == .view {
            touched[dependency.location.path, default: []].formUnion([dependency.from, dependency.to])
        }

        let services = (manifest?.services ?? []).map { service -> ServiceSection in
            let tables = model.tables.values.filter { $0.owner?.service == service.name && $0.partitionOf == nil }.sorted { $0.name < $1.name }
            let indexCounts = Dictionary(grouping: model.indexes.values, by: \.table).mapValues(\.count)
            let files = touched.filter { $0.value.contains(service.name) }.keys.sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }
            let involved = dependencies.filter { $0.from == service.name || $0.to == service.name }
            // Documented (boundaries.allow) or onto a public table: a contract to renegotiate, not an entanglement.
            let schemaLevel = involved.filter {
                $0.allowedBecause == nil && !$0.targetIsPublic && ![.queryRead, .queryWrite].contains($0.kind)
            }
            return ServiceSection(
                name: service.name, description: service.description, owners: service.owners, schemas: service.schemas, roles: service.roles,
                cachePrefixes: service.cachePrefixes.map(\.text),
                tables: tables.map {
                    TableSummary(name: $0.name.display, columns: $0.columns.count, indexes: indexCounts[$0.name] ?? 0, constraints: $0.constraints.count,
                                 access: manifest?.isPublic($0.name, of: service.name) == true
                                    ? "public" : "private")
                },
                views: model.views.values.filter { $0.owner?.service == service.name }.map(\.name.display).sorted(),
                migrations: MigrationSpan(count: files.count, first: files.first, last: files.last),
                incoming: involved.filter { $0.to == service.name }.count, outgoing: involved.filter { $0.from == service.name }.count,
                toCut: involved,
                readiness: involved.isEmpty ? .ready : schemaLevel.isEmpty ? .contractsOnly : .entangled)
        }

        var edgeKinds: [String: [String: Int]] = [:]
        for dependency in dependencies { edgeKinds["\(dependency.from)\u{1F}\(dependency.to)", default: [:]][dependency.kind.rawValue, default: 0] += 1 }
        let edges = edgeKinds.map { key, kinds -> Edge in
            let parts = key.split(separator: "\u{1F}").map(String.init)
            return Edge(from: parts[0], to: parts[1], kinds: kinds, total: kinds.values.reduce(0, +))
        }.sorted { ($0.from, $0.to) < ($1.from, $1.to) }

        let half = migrations.files.count / 2
        let schemaEdges = dependencies.filter { $0.kind == .foreignKey || $0.kind == .view }
        let breaking = findings.filter { RuleRegistry.category(of: $0.ruleID) == .breaking }
        let signals = Signals(
            multiServiceMigrations: touched.values.filter { $0.count > 1 }.count, migrations: migrations.files.count,
            schemaEdgesFirstHalf: schemaEdges.filter { (order[$0.location.path] ?? 0) < half }.count,
            schemaEdgesSecondHalf: schemaEdges.filter { (order[$0.location.path] ?? 0) >= half }.count,
            breakingChanges: breaking.count, breakingChangesAffectingOthers: breaking.filter { $0.services.count > 1 }.count)

        return OwnershipReport(
            services: services, edges: edges, dependencies: dependencies.filter { $0.allowedBecause == nil },
            allowedExceptions: dependencies.filter { $0.allowedBecause != nil },
            unownedTables: model.tables.values.filter { $0.owner == nil && $0.partitionOf == nil && $0.managedBy == nil }.map(\.name.display).sorted(),
            unownedViews: model.views.values.filter { $0.owner == nil }.map(\.name.display).sorted(),
            signals: signals, layout: migrations.layout.rawValue, migrationCount: migrations.files.count, statementCount: model.statementCount)
    }
}
