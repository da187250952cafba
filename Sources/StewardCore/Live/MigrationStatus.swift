import StewardSQL

/// A row of a migration tool's bookkeeping table, as the tool records it.
public struct AppliedMigration: Sendable, Hashable {
    /// The version as the tool writes it (golang-migrate `20240101120000`, Flyway `1.2`, Sqitch a change name).
    public var version: String
    /// The tool's checksum of the file when it applied it, where the tool records one.
    public var checksum: String?
    /// Recorded as failed or unfinished (golang-migrate's dirty flag, Flyway `success = false`,
    /// Prisma without `finished_at`, Atlas with an error).
    public var failed: Bool

    public init(version: String, checksum: String? = nil, failed: Bool = false) {
        self.version = version
        self.checksum = checksum
        self.failed = failed
    }
}

/// The repository's migrations against what the database says it applied.
public struct MigrationStatus: Sendable {
    public struct Mismatch: Sendable, Hashable {
        public var path: String
        public var version: String
        public var recorded: String
        public var expected: String
    }

    /// `schema_migrations`, `flyway_schema_history`…
    public var table: String
    /// Whether the table exists (nil rows: the database has never been migrated by this tool).
    public var tableExists: Bool
    /// Files in the repository the database has not applied, in apply order.
    public var pending: [MigrationFile.Reference]
    /// Versions the database records that no file in the repository has.
    public var unknownApplied: [String]
    public var checksumMismatches: [Mismatch]
    /// Versions recorded as failed or unfinished: the tool refuses to go on until someone fixes them.
    public var failed: [String]
    /// What the tool's table cannot tell (golang-migrate keeps only the latest version).
    public var notes: [String]

    public init(table: String, tableExists: Bool, pending: [MigrationFile.Reference] = [], unknownApplied: [String] = [],
                checksumMismatches: [Mismatch] = [], failed: [String] = [], notes: [String] = []) {
        self.table = table
        self.tableExists = tableExists
        self.pending = pending
        self.unknownApplied = unknownApplied
        self.checksumMismatches = checksumMismatches
        self.failed = failed
        self.notes = notes
    }

    public var hasProblems: Bool { !pending.isEmpty || !unknownApplied.isEmpty || !checksumMismatches.isEmpty || !failed.isEmpty }

    /// Compares `applied` with the set. `checksum` computes the tool's checksum of a file (nil
    /// where the tool records none); `latestOnly`: the tool keeps only its latest version
    /// (golang-migrate), so everything up to it counts as applied.
    public static func compare(_ set: MigrationSet, applied: [AppliedMigration], table: String, latestOnly: Bool = false,
                               version: (MigrationFile) -> String = { $0.version },
                               checksum: ((MigrationFile) -> String?)? = nil) -> MigrationStatus {
        var status = MigrationStatus(table: table, tableExists: true)
        status.failed = applied.filter(\.failed).map(\.version)
        let files = set.files.filter { $0.direction == .up }
        let known = Set(files.map(version))
        if latestOnly {
            guard let latest = applied.first else {
                status.pending = files.map(\.reference)
                return status
            }
            let ordered = files.map(version)
            if let position = ordered.firstIndex(of: latest.version) {
                status.pending = files[(position + 1)...].map(\.reference)
            } else {
                status.unknownApplied = [latest.version]
                status.notes.append("the database is at version \(latest.version), which no file in the repository has")
            }
            return status
        }
        var recorded: [String: AppliedMigration] = [:]
        for row in applied { recorded[row.version] = row }
        for file in files {
            let fileVersion = version(file)
            guard let row = recorded[fileVersion] else {
                status.pending.append(file.reference)
                continue
            }
            if let checksum, let recordedSum = row.checksum, let expected = checksum(file), expected != recordedSum {
                status.checksumMismatches.append(Mismatch(path: file.path, version: fileVersion, recorded: recordedSum, expected: expected))
            }
        }
        status.unknownApplied = applied.map(\.version).filter { !known.contains($0) }
        return status
    }
}

extension MigrationFile {
    /// A file named in a report.
    public struct Reference: Sendable, Hashable {
        public var path: String
        public var version: String
    }

    public var reference: Reference { Reference(path: path, version: version) }
}
