import StewardSQL

/// Lock-taking statements on existing tables with no `lock_timeout` before them.
public struct MissingLockTimeout: Rule {
    public let descriptor = RuleDescriptor(
        id: "missing-lock-timeout",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A migration locks existing tables without setting lock_timeout first.",
        rationale: """
            Even a quick ALTER TABLE waits for its lock behind any long query on the table, and while it waits every \
            other query of every service queues behind it: a lock queue, not the statement, takes the site down. \
            lock_timeout makes the migration fail fast instead, so it can be retried.
            """,
        remedy: "Start the file (or its transaction) with `SET lock_timeout = '2s';` (`SET LOCAL` inside BEGIN), and retry on failure.",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "ALTER TABLE codebases ADD COLUMN ↓note text;\nALTER TABLE codebases ADD COLUMN other text;"),
            RuleExample(given: "CREATE TABLE codebases (id bigint);", "BEGIN;\nSET LOCAL lock_timeout = '2s';\nCOMMIT;\n↓DROP TABLE codebases;"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int);", "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN note text;"),
            RuleExample("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN note text;"),
            RuleExample(given: "CREATE TABLE t (id int, n int);", "CREATE INDEX CONCURRENTLY t_n_idx ON t (n);"),
        ])

    public init() {}

    public var readsChangeLogOnly: Bool { true }

    public func check(_ context: RuleContext) -> [Finding] {
        // Each file's first such change and how many there are, in order of first appearance.
        var files: [(first: SchemaChange, count: Int)] = []
        var paths = FirstAppearanceIDs()
        for change in context.model.changes where takesLock(change) && !change.lockTimeoutSet && !context.isNew(change) {
            let (file, isNew) = paths.id(of: change.location.path)
            if isNew { files.append((change, 0)) }
            files[file].count += 1
        }
        return files.map { change, count in
            let more = count > 1 ? " (and \(count - 1) more statement\(count > 2 ? "s" : "") in this file)" : ""
            return finding("this statement locks \((change.table ?? change.object).display) with no lock_timeout set\(more): "
                           + "if it waits behind a long query, every query on the table queues behind it",
                           at: change.location, services: change.table.flatMap(context.owner(of:)).map { [$0] } ?? [],
                           objects: change.table.map { [FindingObject.relation($0)] } ?? [])
        }
    }

    /// Statements that take a lock conflicting with ordinary reads or writes of an existing table.
    private func takesLock(_ change: SchemaChange) -> Bool {
        guard change.table != nil else { return false }
        switch change.kind {
        case .createIndex(_, _, let concurrently), .dropIndex(let concurrently): return !concurrently
        case .tableOperation(.reindex, let concurrently): return !concurrently
        case .tableOperation(.refreshMaterializedView, let concurrently): return !concurrently
        case .tableOperation(.vacuum(let full, _), _): return full
        case .setting, .dropSchema, .dropFunction, .renameEnumValue: return false
        default: return true
        }
    }
}
