import StewardSQL

/// `DROP VIEW` / `DROP MATERIALIZED VIEW` of a view that existed before the migration.
public struct DropView: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.dropView]
    public let descriptor = RuleDescriptor(
        id: "drop-view",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A view that existed is dropped.",
        rationale: """
            Views are often the published interface of a service's tables: readers in other services, reports and \
            other views fail when it goes. With CASCADE the views built on it go too.
            """,
        remedy: "Move every reader off the view first (CREATE OR REPLACE VIEW keeps it while its query changes), then drop it.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint);\nCREATE VIEW active_codebases AS SELECT id FROM codebases;",
                        "↓DROP VIEW active_codebases;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint);\nCREATE MATERIALIZED VIEW stats AS SELECT count(*) FROM codebases;",
                        "↓DROP MATERIALIZED VIEW stats;"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t;\nDROP VIEW v;"),
            RuleExample("DROP VIEW IF EXISTS never_created;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .dropView(let materialized, let cascaded) = change.kind, !context.isNew(change) else { return nil }
        var message = "DROP \(materialized ? "MATERIALIZED VIEW" : "VIEW") \(change.object.display): queries reading it fail"
        if !cascaded.isEmpty { message += "; CASCADE also drops \(cascaded.joined(separator: ", "))" }
        return breakingFinding(change, message, in: context)
    }
}
