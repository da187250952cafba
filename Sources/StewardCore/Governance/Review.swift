import StewardSQL

/// `steward review`: what a change does, per service it touches: the schema diff between the
/// base and the head, the findings in the changed migrations, the cross-service dependencies it
/// adds or removes, and who must approve.
public struct Review: Sendable {
    public struct Approval: Sendable {
        /// Logins (lower case, no `@`) who may approve.
        public var approvers: [String]
        public var owners: [String]
        public var needed: Int
        /// Valid approvals given (nil: no approvals were given to check).
        public var approvedBy: [String]?
        public var reasons: [String]

        public var isSatisfied: Bool { (approvedBy?.count ?? 0) >= needed }
    }

    public struct Section: Sendable {
        public var service: String?
        public var owners: [String]
        public var diff: [SchemaDiff.Entry]
        public var findings: [Finding]
        public var dependenciesAdded: [ServiceDependency]
        public var dependenciesRemoved: [ServiceDependency]
        public var approval: Approval?
    }

    public var reference: String
    public var baseCommit: String
    public var changedMigrations: [String]
    public var sections: [Section]

    public var isEmpty: Bool { sections.isEmpty }

    /// `base`: the model replayed from the base's migrations (`baseMigrations`, their text, for
    /// function bodies); `head`: the analysis of the work tree with `--since` (its findings are
    /// those of the changed migrations).
    public static func build(base: SchemaModel, baseMigrations: MigrationSet, head: Analysis, settings: RuleSettings) -> Review {
        let manifest = head.manifest
        let history = head.history
        let diff = SchemaDiff.between(base, head.model)
        let headContext = RuleContext(model: head.model, manifest: manifest, migrations: head.migrations, settings: settings, queries: head.queries)
        let baseContext = RuleContext(model: base, manifest: manifest, migrations: baseMigrations, settings: settings)
        let before = Set(baseContext.serviceDependencies), after = Set(headContext.serviceDependencies)
        let added = after.subtracting(before).sorted { ($0.from, $0.to, $0.object, $0.target) < ($1.from, $1.to, $1.object, $1.target) }
        let removed = before.subtracting(after).sorted { ($0.from, $0.to, $0.object, $0.target) < ($1.from, $1.to, $1.object, $1.target) }

        var services: [String?] = []
        func note(_ service: String?) { if !services.contains(service) { services.append(service) } }
        let touched = headContext.touchedServices()
        for service in touched { note(service.service) }
        for entry in diff.entries { note(headContext.owner(of: entry.relation)) }
        for dependency in added + removed { note(dependency.from); note(dependency.to) }
        let findings = head.findings.filter { $0.ruleID != MissingApproval.id }
        for finding in findings { note(finding.services.first) }

        let sections = services.map { service -> Section in
            var approval: Approval?
            if let service, let manifest, let entry = touched.first(where: { $0.service == service }) {
                let approvers = manifest.approvers(of: service).logins
                let valid = settings.review.map { manifest.validApprovals(among: approvers, given: $0) }
                approval = Approval(approvers: approvers, owners: manifest.service(named: service)?.owners ?? [],
                                    needed: manifest.review.approvals(for: service), approvedBy: valid, reasons: entry.reasons.map(\.text))
            }
            return Section(
                service: service, owners: service.flatMap { manifest?.service(named: $0)?.owners } ?? [],
                diff: diff.entries.filter { headContext.owner(of: $0.relation) == service },
                findings: findings.filter { $0.services.first == service },
                dependenciesAdded: added.filter { $0.from == service || $0.to == service },
                dependenciesRemoved: removed.filter { $0.from == service || $0.to == service },
                approval: approval)
        }.filter { !$0.diff.isEmpty || !$0.findings.isEmpty || !$0.dependenciesAdded.isEmpty || !$0.dependenciesRemoved.isEmpty || $0.approval != nil }
        // Services by name, what belongs to no service last.
        let ordered = sections.sorted { ($0.service == nil ? 1 : 0, $0.service ?? "") < ($1.service == nil ? 1 : 0, $1.service ?? "") }
        return Review(reference: history?.reference ?? "", baseCommit: history?.baseCommit ?? "", changedMigrations: (history?.pending ?? []).sorted(),
                      sections: ordered)
    }
}
