import Foundation
import StewardSQL

/// The migration tools whose directory layouts Steward understands.
public enum MigrationLayout: String, Codable, Sendable, CaseIterable {
    case plain, golangMigrate = "golang-migrate", flyway, goose, dbmate, atlas, prisma, diesel, sqitch
}

/// How the migration tool wraps a file in transactions. Rules about locks and
/// non-transactional statements (e.g. CREATE INDEX CONCURRENTLY) depend on it.
public enum TransactionMode: String, Codable, Sendable {
    /// The tool runs the file inside BEGIN … COMMIT (goose, dbmate, Flyway, Atlas by default).
    case explicitPerFile = "per-file"
    /// Each statement autocommits on its own (psql -f, goose NO TRANSACTION, atlas:txmode none).
    case perStatement = "per-statement"
    /// The whole file is sent as one simple-protocol query, which Postgres runs as one
    /// implicit transaction (golang-migrate, Prisma, dbmate transaction:false).
    case implicitSingleQuery = "implicit-single-query"
}

public enum MigrationDirection: String, Codable, Sendable {
    case up, down, repeatable
}

/// One migration file as its tool sees it.
public struct MigrationFile: Sendable {
    /// Path as shown to the user (the directory argument joined with the relative path).
    public var path: String
    public var version: String
    public var name: String
    public var direction: MigrationDirection
    public var transaction: TransactionMode
    /// The file's bytes with everything its tool does not run "up" blanked out (down
    /// sections, psql meta-commands), so that byte offsets still match the file.
    public var source: SourceText
    /// The unmasked file, for showing source lines.
    public var original: SourceText
    /// Notes found while reading (meta-commands skipped, unusual directives).
    public var notices: [Finding]
    /// Whether the migration can be reverted (a down file or section, a Sqitch revert
    /// script); nil where the tool has no down migrations (Flyway community, Atlas, Prisma, psql).
    public var hasDown: Bool?

    /// Set once the file's text is released (`MigrationSet.releaseSources()`): what later
    /// steps read from the text, kept.
    public private(set) var released: ReleasedText?

    /// What a file keeps of its text once the text itself is released.
    public struct ReleasedText: Sendable {
        /// The file's size, to tell the file read again for the report from an edited one.
        public var byteCount: Int
        public var firstStatementLocation: FileLocation
        /// Its `steward:ignore` comments.
        public var suppressions: [Suppression]
    }

    /// Where the file's first statement starts (its first token, after comments and blank
    /// lines): where a finding about the migration as a whole points.
    public var firstStatementLocation: FileLocation {
        if let released { return released.firstStatementLocation }
        let start = source.location(ofByte: Trivia.firstToken(in: source.bytes, from: 0))
        return FileLocation(path: path, line: start.line, column: start.column)
    }

    /// Drops the file's text, keeping what `released` lists. Call `MigrationSet.prepareToReleaseSources()`
    /// before releasing the first file of a set.
    mutating func releaseText() {
        guard released == nil else { return }
        released = ReleasedText(byteCount: original.bytes.count, firstStatementLocation: firstStatementLocation,
                                suppressions: Suppressions.inSQL(self))
        source = SourceText(bytes: [])
        original = source
    }

    public init(path: String, version: String, name: String, direction: MigrationDirection,
                transaction: TransactionMode, original: SourceText, source: SourceText? = nil, notices: [Finding] = []) {
        self.path = path
        self.version = version
        self.name = name
        self.direction = direction
        self.transaction = transaction
        self.original = original
        self.source = source ?? original
        self.notices = notices
    }
}

/// A migration that is not SQL (e.g. a goose `.go` file): the replayed model cannot see
/// what it does, so it is reported as a gap rather than an error.
public struct MigrationGap: Codable, Sendable, Hashable {
    public var path: String
    public var version: String
    public var reason: String
}

/// The ordered migrations of one directory.
public struct MigrationSet: Sendable {
    public var directory: String
    public var layout: MigrationLayout
    /// Files replayed into the model, in the order the tool applies them.
    public var files: [MigrationFile]
    /// Down / undo files: recorded, never replayed.
    public var downFiles: [MigrationFile]
    public var gaps: [MigrationGap]
    /// Problems of the set itself: duplicate versions, unreadable files.
    public var findings: [Finding]
    /// Atlas's `atlas.sum`, for the integrity check Atlas runs before it applies anything.
    public var atlasSum: AtlasSum?
    /// What Atlas computes from the files for that check, kept when their text is released.
    var releasedAtlasHashes: (hashes: [String: String], sum: String)?

    /// The hashes Atlas computes for this directory's files (see `AtlasSum.compute`).
    var atlasHashes: (hashes: [String: String], sum: String) {
        if let releasedAtlasHashes { return releasedAtlasHashes }
        return AtlasSum.compute(files.map { file in
            (name: (file.path as NSString).lastPathComponent, bytes: file.original.bytes, ignored: AtlasLayout.ignoresSum(file.original.bytes))
        })
    }

    /// Releases the text of every replayed file once it has been parsed and replayed, keeping
    /// what the rules and the report read from it (first statements, suppression comments,
    /// Atlas's hashes). `steward check` does this so that a large run does not hold every file
    /// while the rules run; the report reads the files it quotes again (`SourceFiles`).
    public mutating func releaseSources() {
        prepareToReleaseSources()
        for index in files.indices { files[index].releaseText() }
    }

    /// Computes what is read later from all the files' text together (Atlas's hashes), so that
    /// each file's text can then be released on its own (`MigrationFile.releaseText()`).
    mutating func prepareToReleaseSources() {
        if atlasSum != nil, releasedAtlasHashes == nil { releasedAtlasHashes = atlasHashes }
    }

    public init(directory: String, layout: MigrationLayout, files: [MigrationFile], downFiles: [MigrationFile] = [],
                gaps: [MigrationGap] = [], findings: [Finding] = []) {
        self.directory = directory
        self.layout = layout
        self.files = files
        self.downFiles = downFiles
        self.gaps = gaps
        self.findings = findings
    }
}
