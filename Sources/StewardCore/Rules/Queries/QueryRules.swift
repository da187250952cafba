import StewardSQL

/// Manifests and schemas shared by the query rules' examples.
enum QueryExamples {
    static let schema = """
        CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
        CREATE TABLE codebases (id bigint PRIMARY KEY, owner text NOT NULL, name text NOT NULL, last_viewed_at timestamptz);
        """

    /// identity owns users, analyzer owns codebases; each runs its own query file.
    static let manifest = """
        version: 1
        services:
          identity: {owners: ["@acme/identity"], tables: [users], queries: [queries/identity.sql]}
          analyzer: {owners: ["@acme/analyzer"], tables: [codebases], queries: [queries/analyzer.sql]}

        """

    static func identity(_ sql: String) -> ExampleFile { ExampleFile("identity.sql", sql) }
    static func analyzer(_ sql: String) -> ExampleFile { ExampleFile("analyzer.sql", sql) }
}

extension RuleContext {
    /// The service owning a relation a query touches (tables, views, their partitions, renamed names).
    func queryOwner(of relation: ObjectName) -> String? {
        if let index = model.tables.index(forKey: relation), let owner = model.tables.values[index].owner { return owner.service }
        if let owner = model.views[relation]?.owner { return owner.service }
        return owner(of: relation)
    }

    func queryLocation(_ use: QueryUse, _ offset: Int, length: Int = 1) -> FileLocation {
        queries.location(use.path, offset: offset, length: length)
    }
}

/// Per use, per relation: the accesses of one kind, in order (a query reported once per table).
func accessesByRelation(_ use: QueryUse, kind: QueryAccess.Kind) -> [(relation: ObjectName, accesses: [QueryAccess])] {
    var order: [ObjectName] = []
    var grouped: [ObjectName: [QueryAccess]] = [:]
    for access in use.query.accesses where access.kind == kind {
        if grouped[access.relation] == nil { order.append(access.relation) }
        grouped[access.relation, default: []].append(access)
    }
    return order.map { ($0, grouped[$0]!) }
}

func columnList(_ accesses: [QueryAccess]) -> String {
    var seen: [String] = []
    for column in accesses.compactMap(\.column) where !seen.contains(column) { seen.append(column) }
    return seen.isEmpty ? "" : " (\(seen.joined(separator: ", ")))"
}

/// A query that PostgreSQL would reject against the schema the migrations leave.
public struct QueryUnknownObject: Rule {
    public let descriptor = RuleDescriptor(
        id: "query-unknown-object",
        category: .queries,
        defaultSeverity: .error,
        summary: "A service's query names a table or column that the migrations do not create (or have dropped).",
        rationale: """
            The query fails at run time against the schema the migrations leave: a column dropped or renamed by \
            another team's migration, a typo, a table that was never created. In a shared database this is how one \
            team's migration breaks another team's service without either noticing in review.
            """,
        remedy: "Fix the query, or the migration: restore the column or table, or ship the rename in two steps (add, backfill, switch readers, drop).",
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: GetUser :one
                SELECT id, ↓nickname FROM users WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: ListRepos :many
                SELECT r.id FROM ↓repositories r;
                """)], manifest: QueryExamples.manifest),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: GetUser :one
                SELECT u.id, u.email FROM users u WHERE u.id = sqlc.arg(user_id);
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: RecentRepos :many
                WITH recent AS (SELECT id, name FROM codebases ORDER BY last_viewed_at DESC LIMIT 10)
                SELECT r.name FROM recent r;
                """)], manifest: QueryExamples.manifest),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        var seen = Set<String>()
        for use in context.queries.uses {
            // A query several services run is reported once.
            guard seen.insert("\(use.path):\(use.query.range.lowerBound)").inserted else { continue }
            for problem in use.query.problems {
                findings.append(finding("\(problem.message): \(use.shortLabel) of service `\(use.service)` fails against the schema the migrations leave",
                                        at: context.queryLocation(use, problem.offset), services: [use.service]))
            }
        }
        for (path, query) in context.queries.unattributed {
            for problem in query.problems {
                findings.append(finding("\(problem.message): the query \(query.name.map { "`\($0)` " } ?? "")fails against the schema the migrations leave",
                                        at: context.queries.location(path, offset: problem.offset)))
            }
        }
        return findings
    }
}

/// Service A's query writes a table service B owns.
public struct CrossServiceWrite: Rule {
    public let descriptor = RuleDescriptor(
        id: "cross-service-write",
        category: .queries,
        defaultSeverity: .error,
        summary: "A service's query writes a table another service owns.",
        rationale: """
            Two services writing one table share its invariants without sharing the code that keeps them: the owner \
            cannot change the table, its constraints or its meaning without breaking the other writer, and neither \
            team sees the other's writes in review. It is the strongest coupling a shared database allows.
            """,
        remedy: """
            Ask the owning service to make the change (an API call or an event), or move the data to a table the \
            writer owns; if the write is intended, document it in ownership.yml under `boundaries.allow` with a reason.
            """,
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: TouchCodebase :exec
                UPDATE ↓codebases SET last_viewed_at = now() WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: CreateUser :one
                INSERT INTO ↓users (email) VALUES ($1) RETURNING id;
                """)], manifest: QueryExamples.manifest),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: TouchCodebase :exec
                UPDATE codebases SET last_viewed_at = now() WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: TouchCodebase :exec
                UPDATE codebases SET last_viewed_at = now() WHERE id = $1;
                """)], manifest: QueryExamples.manifest + """
                boundaries:
                  allow:
                    - {from: identity, to: analyzer, objects: [codebases], reason: "last_viewed_at is web's to keep"}
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        crossServiceFindings(context, kind: .write, verb: "writes")
    }
}

extension Rule {
    /// One finding per query and table of another service, at the first reference.
    func crossServiceFindings(_ context: RuleContext, kind: QueryAccess.Kind, verb: String) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        var findings: [Finding] = []
        for use in context.queries.uses {
            let written = kind == .read ? Set(use.query.accesses.filter { $0.kind == .write }.map(\.relation)) : []
            for (relation, accesses) in accessesByRelation(use, kind: kind) {
                // A table the query writes is reported as a write only.
                guard !written.contains(relation), let owner = context.queryOwner(of: relation), owner != use.service else { continue }
                let allowance = manifest.allowance(from: use.service, to: owner, object: relation)
                let first = accesses[0]
                let column = accesses.count == 1 ? first.column : nil
                var result = finding(
                    "\(use.shortLabel) of service `\(use.service)` \(verb) \(relation.display)\(columnList(accesses)), owned by `\(owner)`",
                    at: context.queryLocation(use, first.offset, length: first.column == nil ? relation.name.count : 1),
                    services: [use.service, owner],
                    allowance: allowance?.allowance(in: manifest),
                    objects: [.relation(relation, kind: column == nil ? .table : .column, column: column)])
                // Reading a table its owner publishes is what `public:` is for: recorded as a note.
                if kind == .read, manifest.isPublic(relation, of: owner) {
                    result.severity = .info
                    result.message += " (public in ownership.yml)"
                }
                findings.append(result)
            }
        }
        return findings
    }
}
