import StewardSQL

/// A schema object of one service that depends on another service's table, other than a foreign
/// key (cross-service-foreign-key) or a query (cross-service-read/-write): a view reading it, a
/// grant to the service's role, a trigger running the service's function, a table placed in the
/// other service's schema.
public struct CrossServiceDependency: Rule {
    public let descriptor = RuleDescriptor(
        id: "cross-service-dependency",
        category: .ownership,
        defaultSeverity: .error,
        summary: "A view, grant, trigger, function, data statement, sequence or schema placement ties one service to another service's private table.",
        rationale: """
            Like a foreign key, these are dependencies the database enforces: a view of service A that reads B's table \
            breaks (or blocks B's migration) when B changes the table; a grant lets A's role read or write B's rows \
            behind B's back; a trigger on B's table makes every write of B run A's code; a table of A inside B's schema \
            moves with B. Each one must be cut before either service can move to its own database. A dependency on a \
            table the owner declares `public:` (a contract) is recorded as a note; on a private table it is an error \
            unless `boundaries.allow` documents it.
            """,
        remedy: """
            Read the other service's data through its API or a table it publishes (`public:` in ownership.yml), or \
            document the dependency: boundaries.allow: {from: A, to: B, objects: [table], reason: "…"}.
            """,
        triggering: [
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
                CREATE VIEW ↓revenue AS SELECT sum(total) FROM invoices;
                """, manifest: Self.manifest),
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
                ↓GRANT SELECT, UPDATE ON invoices TO svc_reports;
                """, manifest: Self.manifest),
        ],
        nonTriggering: [
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
                CREATE VIEW invoice_totals AS SELECT id, total FROM invoices;
                GRANT SELECT ON invoices TO svc_billing;
                """, manifest: Self.manifest),
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
                CREATE VIEW revenue AS SELECT sum(total) FROM invoices;
                """, manifest: Self.manifest + """
                boundaries:
                  allow:
                    - {from: reports, to: billing, objects: [invoices], reason: "monthly revenue report (ADR-9)"}
                """),
        ])

    static let manifest = """
        version: 1
        services:
          billing: {owners: ["@acme/billing"], tables: [invoices, invoice_totals], roles: [svc_billing]}
          reports: {owners: ["@acme/reports"], tables: [revenue], roles: [svc_reports]}

        """

    public init() {}

    public var readsServiceDependencies: Bool { true }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        return context.serviceDependencies.compactMap { dependency -> Finding? in
            let message: String
            switch dependency.kind {
            case .foreignKey, .queryRead, .queryWrite: return nil
            case .view:
                message = "\(dependency.object) of `\(dependency.from)` reads \(dependency.target), owned by `\(dependency.to)`"
            case .grant:
                message = "\(dependency.object) of `\(dependency.from)` is granted \(dependency.privileges ?? "privileges") on \(dependency.target), owned by `\(dependency.to)`"
                    + (dependency.writes ? ": `\(dependency.from)` can write another service's rows" : "")
            case .trigger:
                message = "\(dependency.object) of `\(dependency.from)` on \(dependency.target), owned by `\(dependency.to)`: every write of `\(dependency.to)` runs `\(dependency.from)`'s code"
            case .schema:
                message = "\(dependency.object) of `\(dependency.from)` is in schema \(dependency.targetName.schema ?? "public"), which `\(dependency.to)` claims"
            case .function:
                message = "\(dependency.object) of `\(dependency.from)` \(dependency.writes ? "writes" : "reads") \(dependency.target), owned by `\(dependency.to)`"
            case .dataWrite:
                message = "\(dependency.object), a migration of `\(dependency.from)`, writes rows of \(dependency.target), owned by `\(dependency.to)`"
            case .sequence:
                message = "\(dependency.object) of `\(dependency.from)` is owned by a column of \(dependency.target), owned by `\(dependency.to)`: it is dropped with the column"
            }
            var result = finding(message + (dependency.targetIsPublic ? " (public in ownership.yml: a documented contract)" : ""),
                                 at: dependency.location, services: [dependency.from, dependency.to],
                                 allowance: dependency.allowance?.allowance(in: manifest),
                                 objects: [.relation(dependency.targetName, kind: dependency.kind == .schema ? .schema : .table)])
            if dependency.targetIsPublic { result.severity = dependency.writes ? .warning : .info }
            if dependency.kind == .dataWrite, !dependency.targetIsPublic { result.severity = .error }
            return result
        }
    }
}
