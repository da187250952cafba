import StewardSQL

/// A migration PostgreSQL rejected while `steward verify` applied the set.
public struct MigrationFailure: Sendable, Error, Hashable {
    public var location: FileLocation
    public var message: String
    public var sqlState: String?

    public init(location: FileLocation, message: String, sqlState: String?) {
        self.location = location
        self.message = message
        self.sqlState = sqlState
    }
}

/// What `steward diff` and `steward verify` found: the model against a database's catalog.
public struct LiveComparison: Sendable {
    public enum Mode: String, Sendable {
        /// A live database (drift: what the database has that the migrations do not say, and back).
        case diff
        /// A scratch database the migrations were just applied to (model bugs).
        case verify
    }

    public var mode: Mode
    public var directory: String
    public var layout: MigrationLayout
    /// The database, described without its password.
    public var target: String
    /// `PQserverVersion` (150004).
    public var serverVersion: Int
    public var drifts: [Drift]
    /// Facts of the model that were compared.
    public var comparedFacts: Int
    /// verify: files PostgreSQL applied (all unless `failure`).
    public var appliedFiles: Int?
    public var totalFiles: Int
    public var failure: MigrationFailure?
    /// diff: the migration tool's bookkeeping against the repository's migrations.
    public var migrations: MigrationStatus?
    /// Migrations that are not SQL (a goose `.go` file): neither replayed nor applied.
    public var gaps: [MigrationGap] = []

    public init(mode: Mode, directory: String, layout: MigrationLayout, target: String, serverVersion: Int, drifts: [Drift],
                comparedFacts: Int, appliedFiles: Int? = nil, totalFiles: Int, failure: MigrationFailure? = nil,
                migrations: MigrationStatus? = nil) {
        self.mode = mode
        self.directory = directory
        self.layout = layout
        self.target = target
        self.serverVersion = serverVersion
        self.drifts = drifts
        self.comparedFacts = comparedFacts
        self.appliedFiles = appliedFiles
        self.totalFiles = totalFiles
        self.failure = failure
        self.migrations = migrations
    }

    /// Exit 1: drift, a disagreement, a failed migration or a migration state that needs action.
    public var hasProblems: Bool {
        !drifts.isEmpty || failure != nil || (migrations?.hasProblems ?? false)
    }

    /// "15.4" from 150004.
    public var serverVersionText: String { "\(serverVersion / 10000).\(serverVersion % 10000)" }
}
