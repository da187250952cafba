import StewardSQL

/// `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY`.
public struct RefreshMatviewWithoutConcurrently: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.tableOperation]
    public let descriptor = RuleDescriptor(
        id: "refresh-matview-without-concurrently",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A materialized view is refreshed without CONCURRENTLY.",
        rationale: "The refresh holds an ACCESS EXCLUSIVE lock on the view for the whole query: every reader waits.",
        remedy: "`REFRESH MATERIALIZED VIEW CONCURRENTLY` (it needs a unique index on the view), which blocks only other refreshes.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint);\nCREATE MATERIALIZED VIEW codebase_stats AS SELECT count(*) AS n FROM codebases;",
                        "REFRESH MATERIALIZED VIEW ↓codebase_stats;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint);\nCREATE MATERIALIZED VIEW codebase_stats AS SELECT count(*) AS n FROM codebases;",
                        "REFRESH MATERIALIZED VIEW ↓codebase_stats WITH DATA;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int);\nCREATE MATERIALIZED VIEW m AS SELECT id FROM t;\nCREATE UNIQUE INDEX ON m (id);",
                        "REFRESH MATERIALIZED VIEW CONCURRENTLY m;"),
            RuleExample("CREATE TABLE t (id int);\nCREATE MATERIALIZED VIEW m AS SELECT id FROM t WITH NO DATA;\nREFRESH MATERIALIZED VIEW m;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .tableOperation(.refreshMaterializedView, let concurrently) = change.kind, !concurrently, !context.isNew(change) else { return nil }
        return lockFinding(change, "REFRESH MATERIALIZED VIEW", lock: .accessExclusive, effect: "while its query runs", in: context)
    }
}
