import StewardSQL

/// `CLUSTER` in a migration.
public struct Cluster: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.tableOperation]
    public let descriptor = RuleDescriptor(
        id: "cluster",
        category: .locking,
        defaultSeverity: .warning,
        summary: "CLUSTER rewrites a table under an ACCESS EXCLUSIVE lock.",
        rationale: "CLUSTER rewrites the table in index order: reads and writes of every service wait for the whole rewrite.",
        remedy: "pg_repack (online), run by an operator outside migrations, or accept physical order as it is.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "CLUSTER ↓codebases USING codebases_pkey;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);", "CLUSTER ↓codebases;"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int PRIMARY KEY);\nCLUSTER t USING t_pkey;"),
            RuleExample(given: "CREATE TABLE t (id int PRIMARY KEY);", "ALTER TABLE t CLUSTER ON t_pkey;"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .tableOperation(.cluster, _) = change.kind, !context.isNew(change) else { return nil }
        if change.table == nil {
            return finding("CLUSTER without a table rewrites every previously clustered table under an ACCESS EXCLUSIVE lock", at: change.location)
        }
        return lockFinding(change, "CLUSTER", lock: .accessExclusive, effect: "and rewrites the table", in: context)
    }
}
