import StewardSQL

/// One query of a query file as one service runs it.
public struct QueryUse: Sendable {
    public var service: String
    public var path: String
    public var query: Query
    /// Several services claim the query's file without narrowing it (`only`/`except`).
    public var ambiguous: Bool
    /// The line the statement starts on.
    public var line: Int

    /// `query GetUser`, or `the query` (for findings that point at it).
    public var shortLabel: String { query.name.map { "query `\($0)`" } ?? "the query" }

    /// `GetUser (queries/users.sql:12)`, or the location alone for an unnamed query.
    public var label: String {
        let place = "\(path):\(line)"
        return query.name.map { "`\($0)` (\(place))" } ?? "the query at \(place)"
    }
}

/// What the services' own SQL reads and writes, resolved against the replayed schema.
public struct QueryInventory: Sendable {
    public var uses: [QueryUse] = []
    /// Queries of a claimed file that no entry selects (`only`/`except` left them out).
    public var unattributed: [(path: String, query: Query)] = []
    /// Files several services claim without `only`/`except`, with those services.
    public var ambiguousFiles: [(path: String, services: [String], claim: ManifestString)] = []
    /// Syntax errors and malformed sqlc annotations of the query files.
    public var findings: [Finding] = []
    /// The query files' text, for carets and suppressions.
    public var sources: [String: SourceText] = [:]
    /// Per relation: the indexes in `uses` of the queries touching it (built once).
    private(set) var byRelation: [ObjectName: [Int]] = [:]

    public init() {}

    public var isEmpty: Bool { uses.isEmpty && unattributed.isEmpty }

    /// The uses of other services than `owner` that touch `relation` (and `column`, when given:
    /// a use touching the relation as a whole, as `*` or DELETE do, counts too).
    public func uses(of relation: ObjectName, column: String? = nil, notBy owner: String?) -> [QueryUse] {
        (byRelation[relation] ?? []).map { uses[$0] }.filter { use in
            use.service != owner && use.query.accesses.contains { access in
                access.relation == relation && (column == nil || access.column == column || (access.column == nil && access.kind == .write))
            }
        }
    }

    public func location(_ path: String, offset: Int, length: Int = 1) -> FileLocation {
        let point = sources[path]?.location(ofByte: offset) ?? SourceLocation(line: 1, column: 1, offset: 0)
        return FileLocation(path: path, line: point.line, column: point.column, length: length)
    }

    /// Parses and resolves every query file (in parallel) against `model`, and attributes
    /// each query to the services whose entries select it.
    public static func resolve(_ set: QuerySet, model: SchemaModel) -> QueryInventory {
        var inventory = QueryInventory()
        guard !set.isEmpty else { return inventory }
        let catalog = ModelCatalog(model: model)
        let parsed = set.files.concurrentMap { SQLParser.queries(in: $0.source, catalog: catalog) }
        for (file, result) in zip(set.files, parsed) {
            inventory.sources[file.path] = file.source
            for error in result.syntaxErrors {
                let point = file.source.location(ofByte: error.offset)
                inventory.findings.append(Finding(diagnostic: .syntaxError, message: "\(error.message) (query file)",
                                                  help: "fix the query: PostgreSQL rejects it, so the service's call fails",
                                                  location: FileLocation(path: file.path, line: point.line, column: point.column)))
            }
            for problem in result.annotationProblems {
                let point = file.source.location(ofByte: problem.offset)
                inventory.findings.append(Finding(diagnostic: .malformedSqlcAnnotation, message: problem.message,
                                                  help: "write it as `-- name: QueryName :one` (or :many, :exec, …) right above the query",
                                                  location: FileLocation(path: file.path, line: point.line, column: point.column)))
            }
            let unfiltered = file.claims.filter { !$0.entry.isFiltered }
            let unfilteredServices = Array(Set(unfiltered.map(\.service))).sorted()
            if unfilteredServices.count > 1, let claim = unfiltered.last {
                inventory.ambiguousFiles.append((file.path, unfilteredServices, claim.entry.path))
            }
            for query in result.queries where !query.isUnsupported {
                let line = file.source.location(ofByte: query.range.lowerBound).line
                var services: [String] = []
                for claim in file.claims where claim.entry.selects(queryNamed: query.name) && !services.contains(claim.service) {
                    services.append(claim.service)
                }
                if services.isEmpty { inventory.unattributed.append((file.path, query)) }
                let ambiguous = services.count > 1 && services.filter { unfilteredServices.contains($0) }.count > 1
                for service in services {
                    inventory.uses.append(QueryUse(service: service, path: file.path, query: query, ambiguous: ambiguous, line: line))
                }
            }
        }
        for (index, use) in inventory.uses.enumerated() {
            for relation in Set(use.query.accesses.map(\.relation)) { inventory.byRelation[relation, default: []].append(index) }
        }
        return inventory
    }
}

/// The replayed schema as queries see it on the default search path (`public`, after
/// `pg_catalog`): tables with their columns, views with columns unknown, and PostgreSQL's
/// own catalogs accepted as they are.
struct ModelCatalog: QueryCatalog {
    let model: SchemaModel

    func relation(named name: ObjectName) -> CatalogRelation? {
        let schema = name.schema ?? "public"
        if schema == "pg_catalog" || schema == "information_schema" || (name.schema == nil && name.name.hasPrefix("pg_")) {
            if name.schema != nil || model.tables[ObjectName(schema: "public", name: name.name)] == nil {
                return CatalogRelation(name: ObjectName(schema: name.schema ?? "pg_catalog", name: name.name), columns: nil)
            }
        }
        let qualified = ObjectName(schema: schema, name: name.name)
        if let index = model.tables.index(forKey: qualified) {
            return CatalogRelation(name: qualified, columns: model.tables.values[index].columns.map(\.name))
        }
        if model.views[qualified] != nil { return CatalogRelation(name: qualified, columns: nil) }
        return nil
    }
}
