import StewardSQL

public enum RuleCategory: String, Codable, Sendable, CaseIterable {
    /// Service boundaries: who owns what, and what crosses between services.
    case ownership
    /// Changes that break the services reading or writing the object (backward compatibility).
    case breaking
    /// Statements that hold locks the other services' queries wait on.
    case locking
    /// Column types that cause trouble later.
    case types
    /// The migrations themselves: order, history, integrity, suppressions.
    case hygiene
    /// What the services' own SQL (their `queries:` files) reads and writes.
    case queries
}

/// One migration file of an example (the runner detects the layout from the names).
public struct ExampleFile: Sendable {
    public var name: String
    public var sql: String

    public init(_ name: String, _ sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// An example that documents a rule and is run as a test. In the SQL, `↓` marks the exact
/// position the finding must point at (triggering examples have at least one).
public struct RuleExample: Sendable {
    public var files: [ExampleFile]
    /// Query files of the services (written to `queries/`, next to the manifest).
    public var queries: [ExampleFile] = []
    /// Manifest YAML for the example; rules about ownership need one.
    public var manifest: String?
    /// For rules about a pull request (`--since`): the files as they were at the merge base,
    /// by name. A file not listed is new in the pull request. nil: no `--since`.
    public var applied: [String: String]?

    public init(_ sql: String, manifest: String? = nil) {
        self.files = [ExampleFile("001_example.sql", sql)]
        self.manifest = manifest
    }

    public init(files: [ExampleFile], manifest: String? = nil, applied: [String: String]? = nil) {
        self.files = files
        self.manifest = manifest
        self.applied = applied
    }

    /// `given` runs in an earlier migration (`001_given.sql`), `sql` in the one under review
    /// (`002_change.sql`): the tables of `given` exist and hold data when `sql` runs.
    public init(given: String, _ sql: String, manifest: String? = nil) {
        self.files = [ExampleFile("001_given.sql", given), ExampleFile("002_change.sql", sql)]
        self.manifest = manifest
    }

    /// `given` is the schema (one migration), `queries` the services' query files.
    public init(given: String, queries: [ExampleFile], manifest: String) {
        self.files = [ExampleFile("001_given.sql", given)]
        self.queries = queries
        self.manifest = manifest
    }

    /// `given`, then `sql` under review, with the services' query files.
    public init(given: String, _ sql: String, queries: [ExampleFile], manifest: String) {
        self.files = [ExampleFile("001_given.sql", given), ExampleFile("002_change.sql", sql)]
        self.queries = queries
        self.manifest = manifest
    }

    /// Who approved (`--approved-by`, `--author`), for the approval rule's examples.
    public var approvals: ApprovalInput?

    public init(files: [ExampleFile], manifest: String? = nil, applied: [String: String]? = nil, approvals: ApprovalInput?) {
        self.files = files
        self.manifest = manifest
        self.applied = applied
        self.approvals = approvals
    }

    /// The SQL of the first file (most examples have one).
    public var sql: String { files.first?.sql ?? "" }
}

/// Everything a rule declares about itself; `steward rules` and `steward explain` print it.
public struct RuleDescriptor: Sendable {
    public var id: String
    public var category: RuleCategory
    public var defaultSeverity: Severity
    public var summary: String
    /// Why it matters in a database shared by several services.
    public var rationale: String
    /// The safe alternative.
    public var remedy: String
    public var triggering: [RuleExample]
    public var nonTriggering: [RuleExample]
    /// For lock rules: the lock the flagged statement takes and what it blocks.
    public var lock: String?
    /// Off unless configured (`rules: {id: warning}` in ownership.yml, or `--select id`).
    public var enabledByDefault: Bool

    public init(id: String, category: RuleCategory, defaultSeverity: Severity, summary: String, rationale: String, remedy: String,
                triggering: [RuleExample], nonTriggering: [RuleExample], lock: String? = nil, enabledByDefault: Bool = true) {
        self.id = id
        self.category = category
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.rationale = rationale
        self.remedy = remedy
        self.triggering = triggering
        self.nonTriggering = nonTriggering
        self.lock = lock
        self.enabledByDefault = enabledByDefault
    }
}

/// Facts about the run that rules may read, passed in by the caller.
public struct RuleSettings: Sendable, Hashable {
    /// The PostgreSQL major version the migrations run on (`--pg-version`).
    public var postgresVersion: Int
    /// With `--since`: what changed since the merge base.
    public var history: MigrationHistory?
    /// Who approved the change (`--approved-by`, `--reviews`, `--author`); nil when not given.
    public var review: ApprovalInput?

    public init(postgresVersion: Int = 15, history: MigrationHistory? = nil, review: ApprovalInput? = nil) {
        self.postgresVersion = postgresVersion
        self.history = history
        self.review = review
    }
}

/// What a rule may look at: the replayed model (with its change log), the manifest, the
/// migrations and the settings. Rules never read files, the environment or the clock.
public struct RuleContext: Sendable {
    /// Constant: the indexes built from it at `init` (`changeLogIndex`) stay true.
    public let model: SchemaModel
    /// nil with `--no-manifest`: ownership rules do not run, and no object has an owner.
    public var manifest: OwnershipManifest?
    public var migrations: MigrationSet
    public var settings: RuleSettings
    /// What the services' query files read and write (empty without `queries:` in the manifest).
    public var queries: QueryInventory
    /// Every name a renamed table had, to the names in its history (looked up for each finding).
    let renameHistories: [ObjectName: [ObjectName]]
    /// Each partition, by its name and the names it had before a rename, to the table it is a
    /// partition of (a partition has its parent's owner).
    let partitionParents: [ObjectName: ObjectName]
    /// The cross-service dependency graph, built once per context by the first rule that asks.
    let dependencyGraph = ComputedOnce<[ServiceDependency]>()
    /// What the migrations' function bodies read and write (`MigrationCode`).
    let migrationCode = ComputedOnce<[CodeAccess]>()
    /// The columns the type rules read, by type, built by the first one (`columnTypeGroups`).
    let columnTypes = ComputedOnce<ColumnTypeGroups>()
    /// Where each kind of change is in `model.changes` (see `ChangeRule`).
    let changeLogIndex: ChangeLogIndex

    /// Every cross-service dependency (`ServiceDependency.all`), computed once and shared by the
    /// rules that read it (cross-service-dependency, missing-approval) as they run in parallel.
    public var serviceDependencies: [ServiceDependency] {
        dependencyGraph.value { ServiceDependency.all(in: self) }
    }

    /// What the migrations' functions read and write (`MigrationCode.functionAccesses`), resolved
    /// once; their data statements' accesses are `model.codeAccesses`. Part of
    /// `serviceDependencies`; the analysis asks for it before the rules run (see
    /// `Rule.readsServiceDependencies`), where resolving the bodies uses every core.
    public var functionAccesses: [CodeAccess] {
        migrationCode.value { MigrationCode.functionAccesses(model) }
    }

    /// The columns the type rules look at, grouped by type (`ColumnTypeGroups`), built once.
    var columnTypeGroups: ColumnTypeGroups {
        columnTypes.value { ColumnTypeGroups(model) }
    }

    public init(model: SchemaModel, manifest: OwnershipManifest?, migrations: MigrationSet, settings: RuleSettings = RuleSettings(),
                queries: QueryInventory = QueryInventory()) {
        self.model = model
        self.queries = queries
        self.manifest = manifest
        self.migrations = migrations
        self.settings = settings
        var histories: [ObjectName: [ObjectName]] = [:]
        for (current, history) in model.formerNames {
            let names = history.map(\.name)
            histories[current] = names
            for name in names { histories[name] = names }
        }
        self.renameHistories = histories
        var parents: [ObjectName: ObjectName] = [:]
        // Through the indices: iterating the values would copy every table out.
        for index in model.tables.indices {
            if let parent = model.tables.values[index].partitionOf { parents[model.tables.keys[index]] = parent }
        }
        // A change made to a partition before it was renamed names it by its earlier name.
        for (current, history) in model.formerNames {
            guard let parent = parents[current] else { continue }
            for former in history where model.tables.index(forKey: former.name) == nil { parents[former.name] = parent }
        }
        partitionParents = parents
        changeLogIndex = ChangeLogIndex(model.changes)
    }

    /// The same context over a model reduced to its change log (`changes`, `fileStatements`,
    /// `statementCount`): enough for the rules that `readsChangeLogOnly`, and it holds nothing
    /// else of the model, so that the analysis can release the rest while they run.
    public func changeLogOnly() -> RuleContext {
        var reduced = SchemaModel()
        reduced.changes = model.changes
        reduced.fileStatements = model.fileStatements
        reduced.statementCount = model.statementCount
        return RuleContext(reduced, copying: self)
    }

    private init(_ model: SchemaModel, copying other: RuleContext) {
        self.model = model
        manifest = other.manifest
        migrations = other.migrations
        settings = other.settings
        queries = other.queries
        renameHistories = other.renameHistories
        partitionParents = other.partitionParents
        changeLogIndex = other.changeLogIndex
    }
}

public protocol Rule: Sendable {
    var descriptor: RuleDescriptor { get }
    /// Whether `check` reads `context.serviceDependencies`: the analysis then resolves the
    /// function bodies that graph needs before the rules run, on every core (inside a rule,
    /// which already runs beside the others, that work would take one core).
    var readsServiceDependencies: Bool { get }
    /// Whether `check` reads of the model only its change log (`changes`, `fileStatements`),
    /// and owners through `RuleContext.owner(of:)`: `steward check` runs such rules on
    /// `RuleContext.changeLogOnly()`, after it has released the rest of the model, so that
    /// their findings (most of a run's) take the memory the model held.
    var readsChangeLogOnly: Bool { get }
    func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    public var readsServiceDependencies: Bool { false }
    public var readsChangeLogOnly: Bool { false }
}

extension Rule {
    func finding(_ message: String, help: String? = nil, at location: FileLocation?, services: [String] = [],
                 allowance: Allowance? = nil, objects: [FindingObject] = [], related: [RelatedLocation] = []) -> Finding {
        Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message, help: help ?? descriptor.remedy,
                location: location, services: services, allowance: allowance, objects: objects, related: related)
    }
}

/// Every rule Steward runs, in documentation order.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        // Ownership
        CrossServiceForeignKey(), UnownedObject(), StaleOwnershipEntry(), CachePrefixOverlap(), CachePrefixMissing(), CachePrefixConvention(), CrossServiceDependency(), MissingApproval(), OwnershipCommentMismatch(),
        // Breaking changes
        DropTable(), DropColumn(), DropSchema(), RenameTable(), RenameColumn(), ChangeColumnType(),
        AddNotNullColumnWithoutDefault(), SetNotNull(), DropDefault(), RenameEnumValue(), DropView(), DropFunction(),
        ChangePrimaryKey(),
        // Locking
        CreateIndexWithoutConcurrently(), DropIndexWithoutConcurrently(), ReindexWithoutConcurrently(),
        RefreshMatviewWithoutConcurrently(), AddForeignKeyWithoutNotValid(), AddCheckWithoutNotValid(), AddUniqueConstraint(),
        SetNotNullWithoutValidatedCheck(), AlterColumnTypeRewrite(), AddColumnVolatileDefault(), AddStoredGeneratedColumn(),
        VacuumFull(), Cluster(), Truncate(), LockTable(), ConcurrentlyInTransaction(), MissingLockTimeout(), BanStatementTimeoutOff(),
        // Types
        PreferTextOverVarchar(), PreferTimestamptz(), PreferBigintPrimaryKey(), PreferIdentityOverSerial(), BanChar(), PreferJsonb(),
        BanMoney(),
        // Hygiene
        StatementWouldFail(), OutOfOrderMigration(), ModifiedAppliedMigration(), AtlasSumMismatch(), MissingDownMigration(),
        // The services' queries
        QueryUnknownObject(), CrossServiceWrite(), CrossServiceRead(), MultiWriterTable(), UnreadTable(), UnreadColumn(),
        AmbiguousQueryAttribution(), UnattributedQuery(),
    ]

    /// Rules by id, built once: findings look their rule up by id, tens of thousands of times a run.
    private static let byID: [String: any Rule] = Dictionary(all.map { ($0.descriptor.id, $0) }, uniquingKeysWith: { first, _ in first })
    private static let categories: [String: RuleCategory] = byID.mapValues(\.descriptor.category)
    private static let enabledByDefault: [String: Bool] = byID.mapValues(\.descriptor.enabledByDefault)

    public static func rule(id: String) -> (any Rule)? { byID[id] }

    /// The category of a rule or diagnostic id (diagnostics belong to no category).
    public static func category(of id: String) -> RuleCategory? { categories[id] }

    /// Whether the rule runs unless configured otherwise (diagnostics always do).
    public static func isEnabledByDefault(_ id: String) -> Bool { enabledByDefault[id] ?? true }

    /// Findings Steward reports outside of rules (input and parse problems).
    public static var diagnostics: [(id: String, severity: Severity, summary: String)] {
        Diagnostic.allCases.map { ($0.id, $0.defaultSeverity, $0.summary) }
    }
}
