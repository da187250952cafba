import StewardSQL

/// Service A's query reads a table service B owns.
public struct CrossServiceRead: Rule {
    public let descriptor = RuleDescriptor(
        id: "cross-service-read",
        category: .queries,
        defaultSeverity: .warning,
        summary: "A service's query reads a table another service owns.",
        rationale: """
            A read couples the reader to the owner's table as it is today: every column the query names becomes \
            part of the owner's contract, and a rename, type change or split in the owner's migration breaks the \
            reader's service. Steward names these queries in the owner's breaking-change findings.
            """,
        remedy: """
            Read through the owner's API or a view it publishes for others, or document the dependency in \
            ownership.yml under `boundaries.allow` (with the columns relied on in the reason).
            """,
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: GetOwnerEmail :one
                SELECT u.email FROM ↓users u WHERE u.id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: ReposOfUser :many
                SELECT c.name FROM users u JOIN ↓codebases c ON c.owner = u.name WHERE u.id = $1;
                """)], manifest: QueryExamples.manifest),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.identity("""
                -- name: GetUser :one
                SELECT id, email FROM users WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: GetOwnerEmail :one
                SELECT u.email FROM users u WHERE u.id = $1;
                """)], manifest: QueryExamples.manifest + """
                boundaries:
                  allow:
                    - {from: analyzer, to: identity, objects: [users], reason: "reads email for notifications"}
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        crossServiceFindings(context, kind: .read, verb: "reads")
    }
}

/// A table that two or more services write.
public struct MultiWriterTable: Rule {
    public let descriptor = RuleDescriptor(
        id: "multi-writer-table",
        category: .queries,
        defaultSeverity: .warning,
        summary: "Two or more services write the same table.",
        rationale: """
            A table with several writers has no single owner of its invariants: each writer can break what the \
            others assume, and no one can change the table without coordinating every writer's release. The \
            manifest should say who owns it, and the others should go through the owner.
            """,
        remedy: "Pick one writer (the owner in ownership.yml) and route the other services' writes through it.",
        triggering: [
            RuleExample(given: QueryExamples.schema, queries: [
                QueryExamples.identity("""
                    -- name: TouchCodebase :exec
                    UPDATE ↓codebases SET last_viewed_at = now() WHERE id = $1;
                    """),
                QueryExamples.analyzer("""
                    -- name: UpsertCodebase :exec
                    INSERT INTO codebases (id, owner, name) VALUES ($1, $2, $3);
                    """),
            ], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [
                QueryExamples.identity("""
                    -- name: CreateUser :one
                    INSERT INTO users (email) VALUES ($1) RETURNING id;
                    """),
                QueryExamples.analyzer("""
                    -- name: PurgeUser :exec
                    DELETE FROM ↓users WHERE id = $1;
                    """),
            ], manifest: QueryExamples.manifest),
        ],
        nonTriggering: [
            RuleExample(given: QueryExamples.schema, queries: [
                QueryExamples.identity("""
                    -- name: CreateUser :one
                    INSERT INTO users (email) VALUES ($1) RETURNING id;
                    """),
                QueryExamples.analyzer("""
                    -- name: GetUser :one
                    SELECT email FROM users WHERE id = $1;
                    """),
            ], manifest: QueryExamples.manifest),
            RuleExample(given: QueryExamples.schema, queries: [QueryExamples.analyzer("""
                -- name: UpsertCodebase :exec
                INSERT INTO codebases (id, owner, name) VALUES ($1, $2, $3);
                -- name: TouchCodebase :exec
                UPDATE codebases SET last_viewed_at = now() WHERE id = $1;
                """)], manifest: QueryExamples.manifest),
        ])

    public init() {}

    /// One finding per table, at the first write of a service other than the owner (the first
    /// writer when the table has no owner), naming every writer and its queries.
    public func check(_ context: RuleContext) -> [Finding] {
        var writers: [ObjectName: [(service: String, use: QueryUse, offset: Int)]] = [:]
        for use in context.queries.uses {
            for (relation, accesses) in accessesByRelation(use, kind: .write) {
                writers[relation, default: []].append((use.service, use, accesses[0].offset))
            }
        }
        var findings: [Finding] = []
        for (relation, writes) in writers {
            let services = Array(Set(writes.map(\.service))).sorted()
            guard services.count > 1 else { continue }
            let owner = context.queryOwner(of: relation)
            let pointed = writes.first { $0.service != owner } ?? writes[0]
            let described = services.map { service in
                "`\(service)` (\(writes.filter { $0.service == service }.map(\.use.label).joined(separator: ", ")))"
            }
            findings.append(finding(
                "\(relation.display) is written by \(services.count) services: \(described.joined(separator: ", "))"
                    + (owner.map { "; ownership.yml gives it to `\($0)`" } ?? ""),
                at: context.queryLocation(pointed.use, pointed.offset, length: relation.name.count), services: services,
                objects: [.relation(relation)]))
        }
        return findings
    }
}
