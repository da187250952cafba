import StewardSQL

/// `ADD UNIQUE` / `ADD PRIMARY KEY` on an existing table that builds its own index.
public struct AddUniqueConstraint: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.addConstraint]
    public let descriptor = RuleDescriptor(
        id: "add-unique-constraint",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A UNIQUE or PRIMARY KEY constraint builds its index on an existing table.",
        rationale: "The index is built under the ACCESS EXCLUSIVE lock of ALTER TABLE: reads and writes wait for the whole build.",
        remedy: """
            `CREATE UNIQUE INDEX CONCURRENTLY name ON t (…)`, then `ALTER TABLE t ADD CONSTRAINT name UNIQUE USING INDEX name` \
            (or `PRIMARY KEY USING INDEX`), which only attaches the finished index.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint, slug text);", "ALTER TABLE codebases ADD ↓CONSTRAINT codebases_slug_key UNIQUE (slug);"),
            RuleExample(given: "CREATE TABLE codebases (id bigint NOT NULL, slug text);", "ALTER TABLE codebases ADD ↓PRIMARY KEY (id);"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, slug text);",
                        "CREATE UNIQUE INDEX CONCURRENTLY t_slug_key ON t (slug);\nALTER TABLE t ADD CONSTRAINT t_slug_key UNIQUE USING INDEX t_slug_key;"),
            RuleExample("CREATE TABLE t (id int, slug text);\nALTER TABLE t ADD CONSTRAINT t_slug_key UNIQUE (slug);"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .addConstraint(let name, let kind, _, let usingIndex, _, _) = change.kind, kind == .unique || kind == .primaryKey,
              !usingIndex, !context.isNew(change) else { return nil }
        let constraint = (kind == .unique ? "UNIQUE" : "PRIMARY KEY") + (name.isEmpty ? "" : " \(name)")
        return lockFinding(change, "ADD \(constraint)", lock: .accessExclusive,
                           effect: "while its index is built", in: context)
    }
}
