import StewardSQL

/// A statement Postgres refuses inside a transaction block, where the migration runs in one.
public struct ConcurrentlyInTransaction: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.createIndex, .dropIndex, .tableOperation]
    public let descriptor = RuleDescriptor(
        id: "concurrently-in-transaction",
        category: .locking,
        defaultSeverity: .error,
        summary: "CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY or VACUUM runs inside a transaction: the migration fails.",
        rationale: """
            Postgres refuses these statements inside a transaction block (SQLSTATE 25001). A migration wraps them in \
            one when the file has BEGIN, when the tool runs each file in a transaction (goose, dbmate, Flyway, Atlas, \
            Diesel by default), or when the tool sends the whole file as one query, which Postgres runs as one implicit \
            transaction (golang-migrate, Prisma, dbmate `transaction:false`, Diesel `run_in_transaction = false`).
            """,
        remedy: """
            Use your tool's opt-out: golang-migrate and Prisma, the statement alone in its own migration; goose, \
            `-- +goose NO TRANSACTION`; dbmate, `-- migrate:up transaction:false` with the statement alone; Flyway, only \
            such statements in the file (or `executeInTransaction=false` in its .conf); Atlas, `-- atlas:txmode none`; \
            Diesel, `run_in_transaction = false` in metadata.toml with the statement alone; psql and Sqitch, no BEGIN around it.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint, owner text);", "BEGIN;\n↓CREATE INDEX CONCURRENTLY codebases_owner_idx ON codebases (owner);\nCOMMIT;"),
            RuleExample(files: [ExampleFile("1_init.up.sql", "CREATE TABLE codebases (id bigint, owner text);"),
                                ExampleFile("2_index.up.sql", "SET lock_timeout = '1s';\n↓CREATE INDEX CONCURRENTLY codebases_owner_idx ON codebases (owner);")]),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, owner text);", "CREATE INDEX CONCURRENTLY t_owner_idx ON t (owner);"),
            RuleExample(files: [ExampleFile("1_init.up.sql", "CREATE TABLE t (id int, owner text);"),
                                ExampleFile("2_index.up.sql", "CREATE INDEX CONCURRENTLY t_owner_idx ON t (owner);")]),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard change.refusesTransactionBlock, let reason = transactionReason(change, in: context) else { return nil }
        return finding("\(change.statementName) cannot run inside a transaction block, and \(reason): the migration fails (SQLSTATE 25001)",
                       help: optOut(for: context.migrations.layout), at: change.location,
                       services: change.table.flatMap(context.owner(of:)).map { [$0] } ?? [])
    }

    private func transactionReason(_ change: SchemaChange, in context: RuleContext) -> String? {
        if change.inExplicitTransaction { return "the file opens one with BEGIN" }
        let path = change.location.path
        let statements = context.model.fileStatements.statements[path] ?? 0
        switch change.transactionMode {
        case .perStatement: return nil
        case .explicitPerFile:
            // Flyway runs a file made only of such statements outside a transaction by itself.
            if context.migrations.layout == .flyway, context.model.fileStatements.nonTransactional[path] == statements { return nil }
            return "\(context.migrations.layout.rawValue) runs this file in a transaction"
        case .implicitSingleQuery:
            return statements > 1 ? "\(context.migrations.layout.rawValue) sends this file's \(statements) statements as one query (one implicit transaction)" : nil
        }
    }

    private func optOut(for layout: MigrationLayout) -> String {
        switch layout {
        case .golangMigrate: "put the statement alone in its own migration file (golang-migrate sends a file as one query)"
        case .prisma: "put the statement alone in its own migration (Prisma sends migration.sql as one query)"
        case .goose: "add `-- +goose NO TRANSACTION` to the file"
        case .dbmate: "use `-- migrate:up transaction:false` and keep the statement alone in the up block"
        case .flyway: "keep only such statements in the file (Flyway then runs it without a transaction), or set executeInTransaction=false in its .conf"
        case .atlas: "add `-- atlas:txmode none` at the top of the file"
        case .diesel: "set `run_in_transaction = false` in the migration's metadata.toml and keep the statement alone in up.sql"
        case .sqitch, .plain: "remove the BEGIN … COMMIT around the statement"
        }
    }
}

extension SchemaChange {
    /// Postgres refuses the statement inside a transaction block.
    var refusesTransactionBlock: Bool {
        switch kind {
        case .createIndex(_, _, let concurrently), .dropIndex(let concurrently): concurrently
        case .tableOperation(let operation, let concurrently): operation.refusesTransactionBlock(concurrently: concurrently)
        default: false
        }
    }

    var statementName: String {
        switch kind {
        case .createIndex: "CREATE INDEX CONCURRENTLY"
        case .dropIndex: "DROP INDEX CONCURRENTLY"
        case .tableOperation(.reindex, _): "REINDEX"
        case .tableOperation(.vacuum, _): "VACUUM"
        default: "this statement"
        }
    }
}
