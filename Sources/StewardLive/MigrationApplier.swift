import StewardCore
import StewardSQL

/// Applies a migration set to a scratch database the way its tool does: in the tool's order,
/// only what the tool runs "up", with the tool's transactions, after creating the tool's
/// bookkeeping table where the tool creates it first (see `../shared/notes/migration-tools.md`).
/// Stops at the first migration PostgreSQL rejects, as the tools do.
public enum MigrationApplier {
    public typealias Failure = MigrationFailure

    /// The number of files applied, or the first failure.
    public static func apply(_ set: MigrationSet, to connection: PostgresConnection) -> Result<Int, Failure> {
        do {
            for statement in bookkeepingTable(of: set.layout) { try connection.query(statement) }
        } catch {
            return .failure(Failure(location: FileLocation(path: "(\(set.layout.rawValue))", line: 1, column: 1),
                                    message: "cannot create the tool's bookkeeping table: \(error.message)", sqlState: error.sqlState))
        }
        for file in set.files {
            if let failure = apply(file, to: connection) { return .failure(failure) }
            // Each file starts with the session's settings, as the model assumes (tools run files on
            // pooled connections or restore search_path, like Diesel's migration harness): a
            // `SET search_path` does not carry into the next file.
            _ = try? connection.query("RESET ALL")
        }
        return .success(set.files.count)
    }

    /// What the tool runs before the first migration, from the tool's source.
    static func bookkeepingTable(of layout: MigrationLayout) -> [String] {
        switch layout {
        case .golangMigrate:
            // database/postgres/postgres.go ensureVersionTable
            ["CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)"]
        case .dbmate:
            // pkg/driver/postgres/postgres.go CreateMigrationsTable (varchar(255) as in its README and Steward's model)
            ["CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(255) PRIMARY KEY)"]
        case .diesel:
            // diesel/src/migration/setup_migration_table.sql
            ["""
             CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
                 version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)
             """]
        default:
            []
        }
    }

    private static func apply(_ file: MigrationFile, to connection: PostgresConnection) -> Failure? {
        let text = file.source.text(0..<file.source.bytes.count)
        switch file.transaction {
        case .explicitPerFile:
            // The tool's BEGIN … COMMIT around the file (goose, dbmate, Flyway, Atlas, Diesel).
            do {
                try connection.query("BEGIN")
                try connection.executeScript(text)
                try connection.query("COMMIT")
                return nil
            } catch {
                _ = try? connection.query("ROLLBACK")
                return locatedFailure(error, in: file, connection)
            }
        case .implicitSingleQuery:
            // The whole file as one simple query (golang-migrate, Prisma): one implicit transaction.
            do {
                try connection.executeScript(text)
                return nil
            } catch {
                return locatedFailure(error, in: file, connection)
            }
        case .perStatement:
            // Each statement on its own, autocommitted (psql -f, goose NO TRANSACTION).
            switch SQLParser.split(file.source) {
            case .failure(let error):
                let point = file.source.location(ofByte: error.offset)
                return Failure(location: FileLocation(path: file.path, line: point.line, column: point.column),
                               message: "syntax error: \(error.message)", sqlState: "42601")
            case .success(let ranges):
                for range in ranges {
                    do {
                        try connection.executeScript(file.source.text(range))
                    } catch {
                        return failure(error, in: file, offset: range.lowerBound)
                    }
                }
                return nil
            }
        }
    }

    /// A file sent whole failed: PostgreSQL's error position counts from the start of the file,
    /// but errors without one (a missing relation in ALTER TABLE) say nothing of which statement
    /// failed. Then the file's statements are replayed one by one in a transaction that is rolled
    /// back, and the first that fails is the one reported.
    private static func locatedFailure(_ error: LiveError, in file: MigrationFile, _ connection: PostgresConnection) -> Failure {
        guard error.position == nil, case .success(let ranges) = SQLParser.split(file.source) else {
            return failure(error, in: file, offset: 0)
        }
        defer { _ = try? connection.query("ROLLBACK") }
        do {
            try connection.query("BEGIN")
        } catch {
            return failure(error, in: file, offset: 0)
        }
        for range in ranges {
            do {
                try connection.executeScript(file.source.text(range))
            } catch let statementError {
                return failure(statementError, in: file, offset: range.lowerBound)
            }
        }
        return failure(error, in: file, offset: 0)
    }

    /// PostgreSQL's error at the statement's position (its `P` field counts characters from
    /// the start of what was sent).
    private static func failure(_ error: LiveError, in file: MigrationFile, offset: Int) -> Failure {
        let start = file.source.location(ofByte: Trivia.firstToken(in: file.source.bytes, from: offset))
        var location = FileLocation(path: file.path, line: start.line, column: start.column)
        if let position = error.position {
            let sent = file.source.text(offset..<file.source.bytes.count)
            let prefix = sent.prefix(max(0, position - 1))
            let byte = offset + prefix.utf8.count
            let point = file.source.location(ofByte: byte)
            location = FileLocation(path: file.path, line: point.line, column: point.column)
        }
        return Failure(location: location, message: error.message, sqlState: error.sqlState)
    }
}
