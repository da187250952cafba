/// Findings Steward reports outside of rules: problems of the input itself. Their ids live
/// here, next to the rules' own (each rule declares its id in its descriptor).
public enum Diagnostic: String, CaseIterable, Sendable {
    case syntaxError = "syntax-error"
    case duplicateMigrationVersion = "duplicate-migration-version"
    case unreadableFile = "unreadable-file"
    case psqlMetaCommand = "psql-meta-command"
    case migrationFormat = "migration-format"
    case unreadDirectory = "unread-directory"
    case unusedSuppression = "unused-suppression"
    case suppressionWithoutReason = "suppression-without-reason"
    case querySourceEmpty = "query-source-empty"
    case malformedSqlcAnnotation = "malformed-sqlc-annotation"

    public var id: String { rawValue }

    public var defaultSeverity: Severity {
        switch self {
        case .syntaxError, .duplicateMigrationVersion, .unreadableFile: .error
        case .psqlMetaCommand, .migrationFormat, .unreadDirectory, .unusedSuppression, .suppressionWithoutReason, .querySourceEmpty,
             .malformedSqlcAnnotation: .warning
        }
    }

    public var summary: String {
        switch self {
        case .syntaxError: "PostgreSQL 15's parser rejects the statement; the migration (or the service's query) would fail."
        case .duplicateMigrationVersion: "Two migrations share a version; the tool refuses or skips one."
        case .unreadableFile: "A migration or query file cannot be read."
        case .psqlMetaCommand: "A psql meta-command (\\connect, \\set…) that only psql understands was skipped."
        case .migrationFormat: "A file breaks its migration tool's conventions (missing section, not in atlas.sum, a folder the tool refuses)."
        case .unreadDirectory: "A folder holds .sql files that the detected layout does not read: they are not checked."
        case .unusedSuppression: "A `steward:ignore` comment silences nothing (the finding is gone, or the rule id is wrong): remove it."
        case .suppressionWithoutReason: "A `steward:ignore` comment gives no reason after ` -- `: reviewers cannot tell why the finding is accepted."
        case .querySourceEmpty: "A `queries:` glob of the manifest matches no file: that service's queries are not checked."
        case .malformedSqlcAnnotation: "A `-- name:` comment is not a valid sqlc annotation (`-- name: QueryName :command`); sqlc would refuse the file."
        }
    }
}

extension Finding {
    /// A finding of a diagnostic, at its default severity unless the tool is stricter here.
    public init(diagnostic: Diagnostic, severity: Severity? = nil, message: String, help: String? = nil, location: FileLocation? = nil) {
        self.init(ruleID: diagnostic.id, severity: severity ?? diagnostic.defaultSeverity, message: message, help: help, location: location)
    }
}
