import StewardSQL

/// A service whose objects the change touches has not approved it.
public struct MissingApproval: Rule {
    /// Reporters single these findings out (who must approve is what a reviewer acts on).
    public static let id = "missing-approval"

    public let descriptor = RuleDescriptor(
        id: Self.id,
        category: .ownership,
        defaultSeverity: .error,
        summary: "A service the change touches has not approved it (its owners, per `review:` in ownership.yml).",
        rationale: """
            The promise of a shared database is that no team changes another team's schema behind its back. A change \
            needs the owners of every service it touches: the services whose tables it creates, alters or drops, the \
            owner of a private table that gains another service's foreign key, view, grant or trigger, and, for a \
            breaking change, the services that depend on the object. CODEOWNERS knows paths; this knows tables.
            """,
        remedy: """
            Ask the owners named in the finding (a user, or a member of the team in `teams:`) to approve. Pass who \
            approved with --approved-by, or GitHub's reviews with --reviews; `review:` in ownership.yml sets how many \
            approvals each service needs. Without either, `check --since` lists the approvers as notes.
            """,
        triggering: [
            RuleExample(files: [ExampleFile("001_base.sql", "CREATE TABLE invoices (id bigint PRIMARY KEY);"),
                                ExampleFile("002_reports.sql", "CREATE TABLE revenue (month date);\nCREATE VIEW ↓monthly AS SELECT id FROM invoices;")],
                        manifest: Self.manifest, applied: ["001_base.sql": "CREATE TABLE invoices (id bigint PRIMARY KEY);"],
                        approvals: ApprovalInput(approvedBy: ["@carol"], author: "@dave")),
            RuleExample(files: [ExampleFile("001_base.sql", "CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);"),
                                ExampleFile("002_drop.sql", "ALTER TABLE ↓invoices DROP COLUMN total;")],
                        manifest: Self.manifest, applied: ["001_base.sql": "CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);"],
                        approvals: ApprovalInput(approvedBy: [], author: "@frank")),
        ],
        nonTriggering: [
            RuleExample(files: [ExampleFile("001_base.sql", "CREATE TABLE invoices (id bigint PRIMARY KEY);"),
                                ExampleFile("002_reports.sql", "CREATE TABLE revenue (month date);\nCREATE VIEW monthly AS SELECT id FROM invoices;")],
                        manifest: Self.manifest, applied: ["001_base.sql": "CREATE TABLE invoices (id bigint PRIMARY KEY);"],
                        approvals: ApprovalInput(approvedBy: ["frank", "@Carol"], author: "@dave")),
            RuleExample(files: [ExampleFile("001_base.sql", "CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);"),
                                ExampleFile("002_drop.sql", "ALTER TABLE invoices DROP COLUMN total;")],
                        manifest: Self.manifest, applied: ["001_base.sql": "CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);"],
                        approvals: ApprovalInput(approvedBy: ["grace"], author: "@frank")),
        ])

    static let manifest = """
        version: 1
        services:
          billing: {owners: ["@acme/billing"], tables: [invoices]}
          reports: {owners: ["@carol"], tables: [revenue, monthly]}
        teams:
          "@acme/billing": {members: ["@frank", "@grace"]}

        """

    public init() {}

    public var readsServiceDependencies: Bool { true }

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        // Without approvals given, only a pull request (--since) lists who must approve.
        guard context.settings.review != nil || context.settings.history != nil else { return [] }
        return context.touchedServices().compactMap { touched in
            let (logins, undeclared) = manifest.approvers(of: touched.service)
            let needed = manifest.review.approvals(for: touched.service)
            guard needed > 0 else { return nil }
            let owners = manifest.service(named: touched.service)?.owners ?? []
            var who = owners.joined(separator: ", ")
            if !logins.isEmpty, logins.count != owners.count || owners.contains(where: { $0.contains("/") }) {
                who += " (\(logins.map { "@\($0)" }.joined(separator: ", ")))"
            }
            if !undeclared.isEmpty { who += "; teams: does not list the members of \(undeclared.joined(separator: ", "))" }
            let why = touched.reasons.map(\.text).joined(separator: "; ")
            guard let input = context.settings.review else {
                var result = finding("`\(touched.service)` must approve this change (\(why)): \(needed) approval\(needed == 1 ? "" : "s") from \(who)",
                                     help: "approvals are checked with --approved-by or --reviews", at: touched.location, services: [touched.service])
                result.severity = .info
                return result
            }
            let valid = manifest.validApprovals(among: logins, given: input)
            guard valid.count < needed else { return nil }
            var message = "`\(touched.service)` has not approved this change (\(why)): it needs \(needed) approval\(needed == 1 ? "" : "s") from \(who), has \(valid.count)"
            if let author = input.author, logins.contains(author), input.approvedBy.contains(author), !manifest.review.authorCounts {
                message += " (the author @\(author) does not count)"
            }
            return finding(message, at: touched.location, services: [touched.service])
        }
    }
}

extension TouchedService.Reason {
    var text: String {
        switch self {
        case .owns(let what), .newDependent(let what), .dependsOnBrokenObject(let what): what
        }
    }
}
