import StewardSQL

/// Applies parsed migrations, in order, to a `SchemaModel` the way Postgres would.
///
/// `search_path` is reset at the start of every file: migration tools run files on pooled
/// or fresh connections, and psql runs each file in its own session.
public struct SchemaReplayer: Sendable {
    public internal(set) var model = SchemaModel()
    /// The search path in effect: a `SET LOCAL` value until its transaction ends, else the session's.
    var searchPath: [String] = ["$user", "public"] { didSet { refreshEffectivePath() } }
    var sessionSearchPath: [String] = ["$user", "public"] { didSet { searchPath = localSearchPath ?? sessionSearchPath } }
    var localSearchPath: [String]? { didSet { searchPath = localSearchPath ?? sessionSearchPath } }
    /// Whether statements run inside a transaction block (where `SET LOCAL` has an effect).
    var inTransactionBlock = false
    /// Inside a `BEGIN` written in the file itself.
    var explicitTransaction = false
    /// How the current file's tool wraps it.
    var fileTransaction = TransactionMode.perStatement
    /// `SET lock_timeout` to a non-zero value for the session, and `SET LOCAL` for the
    /// current transaction (nil: none). Reset per file, like the search path.
    var sessionLockTimeout = false
    var localLockTimeout: Bool?
    /// The last statement whose effect the replay cannot see (see `ReplayIssue`).
    var lastOpaqueStatement: Origin?
    /// Temporary tables of the current session (file): not modelled, but they exist, so
    /// statements on them are not failures.
    var temporaryTables: Set<String> = []
    /// The volatility of the functions the migrations define, by bare name (a superset: kept
    /// after a DROP FUNCTION), so that each ADD COLUMN default is not a scan of every function.
    var functionVolatility: [String: Volatility] = [:]
    /// Schemas of the search path that exist (`$user` names no schema in migrations). Kept up
    /// to date rather than computed: every unqualified name is resolved along it.
    var effectivePath: [String] = ["public"]
    /// The current file's path, one copy shared by its origins and changes.
    var sharedPath = Shared("")
    var path: String { sharedPath.value }
    var source = SourceText(bytes: [])
    /// The line of `source` the last location was on (see `origin`).
    var lineHint = 0
    /// Superset of (schema, constraint name) pairs ever present; see `constraintNameTaken`.
    var constraintNamesEverUsed = Set<ObjectName>()
    /// Superset of tables that ever had partitions or inheritance children.
    var tablesWithChildren = Set<ObjectName>()
    /// Reverse indexes that keep drops and renames from scanning the whole model. Like the
    /// sets above they are supersets: entries may be stale, and every use checks the model.
    var referencers = ReverseIndex()
    var indexesOf = ReverseIndex()
    var sequencesOf = ReverseIndex()
    var viewsReading = ReverseIndex()
    /// While replaying a DO block's statements: their own text, and the file line it starts on.
    var embedded: (source: SourceText, firstLine: Int)?
    /// Column types with modifiers and the same type without them (`character varying(16)`:
    /// `character varying`): the type Postgres gives a literal default. Few distinct entries.
    var unmodifiedTypes: [String: String] = [:]
    /// The names the change log refers to, each held once (`record`).
    var changeLogNames: [ObjectName: Shared<ObjectName>] = [:]
    var lastSharedName: Shared<ObjectName>?
    /// Column types seen so far, each string kept once (see `interned`).
    var columnTypes: Set<String> = []
    /// The byte range of the statement being applied (views keep it, to print their query).
    var currentStatement: Range<Int>?
    /// How many IF/CASE/EXCEPTION levels of a DO block are being tried (see `applySteps`).
    var doBlockNesting = 0
    var doBlockTooDeep = false
    static let maximumDoBlockNesting = 32

    public init() {}

    /// Sizes the replay's own set of constraint names for a migration set of this much SQL, so
    /// that it does not grow by rehashing every name it holds (most of what adding a constraint
    /// cost on a large set). Real migration sets hold a constraint per 450–1,700 bytes; one per
    /// 512 is assumed, capped at 100k (the set is freed with the replayer, before the rules).
    public mutating func reserveCapacity(forSQLBytes bytes: Int) {
        constraintNamesEverUsed.reserveCapacity(min(bytes / 512, 100_000))
    }

    /// Starts a new file: later statements' locations refer to it, and search_path is reset.
    public mutating func begin(_ file: MigrationFile) {
        sharedPath = Shared(file.path)
        source = file.source
        lineHint = 0
        sessionSearchPath = ["$user", "public"]
        localSearchPath = nil
        // Layouts that run the file in one transaction (explicit or implicit) start inside it.
        inTransactionBlock = file.transaction != .perStatement
        explicitTransaction = false
        fileTransaction = file.transaction
        sessionLockTimeout = false
        localLockTimeout = nil
        temporaryTables = []
    }

    /// Replays statements of the current file (a file may arrive in several chunks).
    public mutating func apply(_ statements: [ParsedStatement]) {
        var nonTransactional = 0
        for statement in statements {
            model.statementCount += 1
            if statement.statement.refusesTransactionBlock { nonTransactional += 1 }
            currentStatement = statement.range
            if case .doBlock(let block) = statement.statement {
                applyDoBlock(block, range: statement.range)
            } else {
                apply(statement.statement, at: statement.range.lowerBound)
            }
        }
        // Counted per call, not per statement: one dictionary update per file chunk.
        model.fileStatements.statements[path, default: 0] += statements.count
        if nonTransactional > 0 { model.fileStatements.nonTransactional[path, default: 0] += nonTransactional }
    }

    public mutating func recordGaps(_ gaps: [MigrationGap]) { model.gaps += gaps }

    /// The finished model, moved out so that the caller holds its only reference: ownership
    /// then updates tables in place instead of copying every one of them.
    public mutating func takeModel() -> SchemaModel {
        model.trimArrays()
        defer { model = SchemaModel() }
        return model
    }

    // MARK: Dispatch

    /// The one place a statement is applied to the model.
    mutating func apply(_ statement: Statement, at offset: Int) {
        switch statement {
        case .createTable(let create): createTable(create, at: offset)
        case .alterTable(let alter): alterTable(alter, at: offset)
        case .createIndex(let create): createIndex(create, at: offset)
        case .drop(let drop): self.drop(drop, at: offset)
        case .rename(let rename): self.rename(rename, at: offset)
        case .createView(let view): createView(view, at: offset)
        case .createEnum(let create): createEnum(create, at: offset)
        case .createCompositeType(let create): createCompositeType(create, at: offset)
        case .alterEnum(let alter): alterEnum(alter, at: offset)
        case .createDomain(let create): createDomain(create, at: offset)
        case .createSequence(let create): createSequence(create, at: offset)
        case .alterSequence(let alter): alterSequence(alter, at: offset)
        case .createFunction(let create): createFunction(create, at: offset)
        case .createTrigger(let create): createTrigger(create, at: offset)
        case .comment(let comment): self.comment(comment, at: offset)
        case .grant(let grant): self.grant(grant, at: offset)
        case .createSchema(let create): createSchema(create, at: offset)
        case .setSearchPath(let set): setSearchPath(set)
        case .alterObjectSchema(let alter): setSchema(alter, at: offset)
        case .createExtension(let name): model.extensions.insert(name)
        case .transaction(let kind): transaction(kind)
        case .setVariable(let set): setVariable(set, at: offset)
        case .tableOperation(let operation): tableOperation(operation, at: offset)
        case .doBlock: model.unmodelled.append(UnmodelledStatement(kind: "DoStmt", origin: origin(offset)))
        case .invocation(let kind, let functions):
            model.unmodelled.append(UnmodelledStatement(kind: kind, origin: origin(offset)))
            // Calling a function the migrations defined can run any DDL (partition makers, EXECUTE format(…)).
            if functions.contains(where: { call in model.functions.values.contains { $0.name.name == call.name } }) {
                lastOpaqueStatement = origin(offset)
            }
        case .createTableAs(let name, let temporary):
            model.unmodelled.append(UnmodelledStatement(kind: "CreateTableAsStmt", origin: origin(offset)))
            if temporary { temporaryTables.insert(name.name) } else { lastOpaqueStatement = origin(offset) }
        case .other(let kind): model.unmodelled.append(UnmodelledStatement(kind: kind, origin: origin(offset)))
        case .dataChange(let change):
            model.unmodelled.append(UnmodelledStatement(kind: change.kind, origin: origin(offset)))
            // What the migration itself writes: read by the cross-service rules, never resolved again.
            let target = resolveAnyRelation(change.target) ?? qualifyForCreation(change.target)
            model.codeAccesses.append(CodeAccess(function: nil, statement: String(change.kind.dropLast(4)).uppercased(), relation: target, writes: true,
                                                 location: origin(change.targetOffset).fileLocation.with(length: change.target.name.count)))
        }
    }

    // MARK: Schemas, search path, transactions

    mutating func createSchema(_ create: CreateSchema, at offset: Int) {
        if model.schemas[create.name] == nil {
            model.schemas[create.name] = origin(offset)
            refreshEffectivePath()
        }
        // Elements of CREATE SCHEMA are created in the new schema, whatever the search path.
        let saved = searchPath
        searchPath = [create.name] + searchPath
        for element in create.elements { apply(element, at: offset) }
        searchPath = saved
    }

    mutating func setSearchPath(_ set: SetSearchPath) {
        let schemas = set.schemas ?? ["$user", "public"]
        if set.isLocal {
            // Outside a transaction block Postgres warns and ignores SET LOCAL.
            if inTransactionBlock { localSearchPath = schemas }
        } else {
            localSearchPath = nil
            sessionSearchPath = schemas
        }
    }

    /// `SET LOCAL` ends with its transaction. (Rolled-back DDL is not undone: migrations
    /// that roll back their own work are not replayed statement by statement.)
    mutating func transaction(_ kind: TransactionKind) {
        switch kind {
        case .begin:
            inTransactionBlock = true
            explicitTransaction = true
        case .commit, .rollback, .prepare:
            // After the author's COMMIT the tool's own wrapping (if any) no longer applies:
            // Postgres would warn "there is no transaction in progress" at the tool's COMMIT.
            inTransactionBlock = false
            explicitTransaction = false
            localSearchPath = nil
            localLockTimeout = nil
        default: break
        }
    }
}
