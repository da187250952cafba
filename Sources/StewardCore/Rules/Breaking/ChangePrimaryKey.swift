import StewardSQL

/// A primary key dropped, or replaced, on a table that existed before the migration.
public struct ChangePrimaryKey: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.changePrimaryKey]
    public let descriptor = RuleDescriptor(
        id: "change-primary-key",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "The primary key of an existing table is dropped or changed.",
        rationale: """
            Foreign keys of other tables, upserts (`ON CONFLICT (id)`), replication and ORMs identify rows by the \
            primary key: changing it breaks them, and building the new key's index locks the table.
            """,
        remedy: "Add a unique index on the new key concurrently, move every user over, then swap the constraint with USING INDEX.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, slug text NOT NULL);",
                        "ALTER TABLE ↓codebases DROP CONSTRAINT codebases_pkey;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY, slug text NOT NULL);",
                        "ALTER TABLE ↓codebases DROP CONSTRAINT codebases_pkey, ADD PRIMARY KEY (slug);"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t DROP CONSTRAINT t_pkey;"),
            RuleExample(given: "CREATE TABLE t (id int NOT NULL, note text);", "ALTER TABLE t ADD PRIMARY KEY (id);"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        // Adding the first primary key identifies rows that had no key: a lock concern
        // (add-unique-constraint), not a break.
        guard case .changePrimaryKey(let from, let to) = change.kind, !from.isEmpty, !context.isNew(change) else { return nil }
        let message = to.isEmpty
            ? "DROP of the primary key (\(from.joined(separator: ", "))) of \(change.object.display): rows are no longer identified by it"
            : "PRIMARY KEY of \(change.object.display) changes from (\(from.joined(separator: ", "))) to (\(to.joined(separator: ", ")))"
        return breakingFinding(change, message, in: context)
    }
}
