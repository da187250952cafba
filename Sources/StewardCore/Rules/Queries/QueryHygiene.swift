import StewardSQL

/// A table some service writes that no service's query reads.
public struct UnreadTable: Rule {
    public let descriptor = RuleDescriptor(
        id: "unread-table",
        category: .queries,
        defaultSeverity: .info,
        summary: "A table is written by the services' queries but read by none of them.",
        rationale: """
            Data that is written and never read costs storage, write latency and locks for nothing, or it is read \
            by something the manifest does not declare (a batch job, a BI tool): either way the manifest is the \
            place to say so.
            """,
        remedy: "Drop the writes (and later the table), or declare the reader's query files under `queries:`.",
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: RecordCodebase :exec
                INSERT INTO ↓codebases (id, owner, name) VALUES ($1, $2, $3);
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: CreateUser :exec
                INSERT INTO ↓users (id, email) VALUES ($1, $2);
                """)], manifest: QueryExamples.manifest),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: CreateUser :exec
                INSERT INTO users (id, email) VALUES ($1, $2);
                -- name: GetUser :one
                SELECT id, email FROM users WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: CreateUser :one
                INSERT INTO codebases (id, owner, name) VALUES ($1, $2, $3) RETURNING id;
                """)], manifest: QueryExamples.manifest),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let reads = readColumns(context)
        var findings: [Finding] = []
        for (relation, use, offset) in firstWrites(context) where reads[relation] == nil && context.model.tables[relation] != nil {
            findings.append(finding("\(relation.display) is written (\(use.label)) but no service's query reads it",
                                    at: context.queryLocation(use, offset, length: relation.name.count),
                                    services: context.queryOwner(of: relation).map { [$0] } ?? [], objects: [.relation(relation)]))
        }
        return findings
    }
}

/// A column some service writes that no service's query reads.
public struct UnreadColumn: Rule {
    public let descriptor = RuleDescriptor(
        id: "unread-column",
        category: .queries,
        defaultSeverity: .info,
        summary: "A column is written by the services' queries but read by none of them.",
        rationale: """
            A column nobody reads is dead data, or a dependency the manifest does not know about. Dead columns \
            are the cheapest schema to remove, and the most often forgotten.
            """,
        remedy: "Stop writing the column and drop it later, or declare the query files that read it under `queries:`.",
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: TouchCodebase :exec
                UPDATE codebases SET ↓last_viewed_at = now() WHERE id = $1;
                -- name: GetCodebase :one
                SELECT owner, name FROM codebases WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: CreateUser :exec
                INSERT INTO users (id, email, ↓name) VALUES ($1, $2, $3);
                -- name: GetEmail :one
                SELECT email FROM users WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: CreateUser :exec
                INSERT INTO users (id, email, name) VALUES ($1, $2, $3);
                -- name: GetUser :one
                SELECT * FROM users WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [
                QueryExamples.analyzer("""
                    -- name: TouchCodebase :exec
                    UPDATE codebases SET last_viewed_at = now() WHERE id = $1;
                    """),
                QueryExamples.identity("""
                    -- name: RecentlyViewed :many
                    SELECT id, owner, name FROM codebases ORDER BY last_viewed_at DESC LIMIT 10;
                    """),
            ], manifest: QueryExamples.manifest),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let reads = readColumns(context)
        var findings: [Finding] = []
        var seen = Set<String>()
        for use in context.queries.uses {
            for access in use.query.accesses where access.kind == .write {
                guard let column = access.column, let readColumns = reads[access.relation], !readColumns.contains(column),
                      context.model.tables[access.relation]?.columns.contains(where: { $0.name == column }) ?? false,
                      seen.insert("\(access.relation).\(column)").inserted else { continue }
                findings.append(finding("\(access.relation.display).\(column) is written (\(use.label)) but no service's query reads it",
                                        at: context.queryLocation(use, access.offset, length: column.count),
                                        services: context.queryOwner(of: access.relation).map { [$0] } ?? [],
                                        objects: [.relation(access.relation, kind: .column, column: column)]))
            }
        }
        return findings
    }
}

/// Per relation, the columns any query reads ("" when a query reads the table as a whole).
func readColumns(_ context: RuleContext) -> [ObjectName: Set<String>] {
    var reads: [ObjectName: Set<String>] = [:]
    for use in context.queries.uses {
        for access in use.query.accesses where access.kind == .read {
            reads[access.relation, default: []].insert(access.column ?? "")
        }
    }
    return reads
}

/// The first write of each relation, in query order.
func firstWrites(_ context: RuleContext) -> [(ObjectName, QueryUse, Int)] {
    var seen = Set<ObjectName>()
    var result: [(ObjectName, QueryUse, Int)] = []
    for use in context.queries.uses {
        for access in use.query.accesses where access.kind == .write && seen.insert(access.relation).inserted {
            result.append((access.relation, use, access.offset))
        }
    }
    return result
}

/// A query file that several services claim without saying which queries are whose.
public struct AmbiguousQueryAttribution: Rule {
    public let descriptor = RuleDescriptor(
        id: "ambiguous-query-attribution",
        category: .queries,
        defaultSeverity: .info,
        summary: "Several services claim the same query file without `only`/`except`: each of its queries counts for each of them.",
        rationale: """
            One sqlc file is often compiled into several binaries that deploy as separate services. Counting every \
            query for every service overstates the coupling (each service appears to write what only one does); \
            the manifest can say which queries each binary calls.
            """,
        remedy: "Give each service's entry `only: [QueryName, …]` (or `except:`), e.g. `{path: worker/queries.sql, only: [Upsert*]}`.",
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [ExampleFile("shared.sql", """
                -- name: GetUser :one
                SELECT id FROM users WHERE id = $1;
                """)], manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users], queries: [queries/shared.sql]}
                  analyzer: {owners: ["@acme/analyzer"], tables: [codebases], queries: [↓queries/shared.sql]}

                """),
            RuleExample(given: QueryExamples.schema, queries: [ExampleFile("shared.sql", """
                -- name: GetUser :one
                SELECT id FROM users WHERE id = $1;
                """)], manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users], queries: ["queries/*.sql"]}
                  analyzer: {owners: ["@acme/analyzer"], tables: [codebases], queries: [{path: ↓queries/shared.sql}]}

                """),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: GetUser :one
                SELECT id FROM users WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [ExampleFile("shared.sql", """
                -- name: GetUser :one
                SELECT id FROM users WHERE id = $1;
                -- name: ListCodebases :many
                SELECT id FROM codebases;
                """)], manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users], queries: [{path: queries/shared.sql, only: [GetUser]}]}
                  analyzer: {owners: ["@acme/analyzer"], tables: [codebases], queries: [{path: queries/shared.sql, except: [GetUser]}]}

                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        return context.queries.ambiguousFiles.map { file in
            finding("\(file.path) is claimed by \(file.services.map { "`\($0)`" }.joined(separator: ", ")) without `only`/`except`: each of its queries counts for each of them",
                    at: FileLocation(path: manifest.path, line: file.claim.line, column: file.claim.column, length: file.claim.text.count),
                    services: file.services)
        }
    }
}

/// A query of a claimed file that no service's entry selects.
public struct UnattributedQuery: Rule {
    public let descriptor = RuleDescriptor(
        id: "unattributed-query",
        category: .queries,
        defaultSeverity: .info,
        summary: "A query of a declared query file belongs to no service (every entry's `only`/`except` leaves it out).",
        rationale: """
            A query no service runs is either dead code or a caller the manifest forgot; its reads and writes \
            are not counted for anyone, so couplings it would add go unseen.
            """,
        remedy: "Add its name to the `only:` list of the service that calls it, or delete the query.",
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [ExampleFile("shared.sql", """
                -- name: GetUser :one
                SELECT id FROM users WHERE id = $1;
                -- name: Leftover :one
                ↓SELECT id FROM codebases WHERE id = $1;
                """)], manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users], queries: [{path: queries/shared.sql, only: [GetUser]}]}

                """),
            RuleExample(given: QueryExamples.schema, queries: [ExampleFile("shared.sql", """
                ↓SELECT id FROM users;
                """)], manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users], queries: [{path: queries/shared.sql, only: ["Get*"]}]}

                """),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [ExampleFile("shared.sql", """
                -- name: GetUser :one
                SELECT id FROM users WHERE id = $1;
                -- name: Leftover :one
                SELECT id FROM codebases WHERE id = $1;
                """)], manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users], queries: [{path: queries/shared.sql, only: [GetUser]}]}
                  analyzer: {owners: ["@acme/analyzer"], tables: [codebases], queries: [{path: queries/shared.sql, except: [GetUser]}]}

                """),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                SELECT id FROM users;
                """)], manifest: QueryExamples.manifest),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.queries.unattributed.map { path, query in
            finding("\(query.name.map { "query `\($0)`" } ?? "this query") of \(path) is selected by no service's `queries:` entry",
                    at: context.queries.location(path, offset: query.range.lowerBound))
        }
    }
}
