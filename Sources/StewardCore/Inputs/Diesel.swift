import Foundation
import StewardSQL

/// Diesel (diesel_migrations): one folder per migration, `<version>_<name>/up.sql` with an
/// optional `down.sql` and `metadata.toml`.
///
/// As diesel's own source defines it (migrations_internals `version_from_string`,
/// `migrations_directories`; file_based_migrations.rs; migration_harness.rs):
/// - the version is the folder name up to the first `_` with every `-` removed, so
///   `2015-12-19-180527_x` and `20151219180527_y` compare as `20151219180527`; versions are
///   sorted as strings (a raw sort of folder names would put dashed names first);
/// - hidden entries and plain files of the base directory are skipped; a folder without
///   `up.sql` makes diesel stop ("unknown migration format"), an empty `up.sql` too;
/// - each migration runs in a transaction unless `metadata.toml` sets
///   `run_in_transaction = false`; the file is sent whole (`batch_execute`), so it is still
///   one implicit transaction.
enum DieselLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.diesel

    /// Folders holding `up.sql` (and not Prisma's `migration.sql`), or a single migration
    /// folder given directly.
    static func recognizes(_ directory: MigrationDirectory) -> Bool {
        // Top-level .sql migrations (other than one folder's up.sql) mean another layout; this
        // also spares a stat of every entry of a large flat directory.
        if directory.isRegularFile("up.sql") { return true }
        guard directory.sqlFiles.isEmpty else { return false }
        return directory.entries.contains { directory.isDirectory($0) && directory.isRegularFile($0 + "/up.sql") }
    }

    static func candidates(in directory: MigrationDirectory) -> [String] {
        directory.isRegularFile("up.sql") ? ["up.sql"] : directory.entries.map { $0 + "/up.sql" }
    }

    static func version(ofFolder folder: String) -> String {
        String(folder.prefix { $0 != "_" }.filter { $0 != "-" })
    }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        // Pointed at one migration folder: that migration alone (its up.sql, never down.sql).
        let folders: [(relative: String, name: String)]
        if directory.isRegularFile("up.sql") {
            let name = directory.rootPath.split(separator: "/").last.map(String.init) ?? directory.rootPath
            folders = [("", name)]
        } else {
            folders = directory.entries.filter { directory.isDirectory($0) }.map { ($0, $0) }
        }
        var migrations: [(version: String, folder: (relative: String, name: String))] = []
        for folder in folders {
            let prefix = folder.relative.isEmpty ? "" : folder.relative + "/"
            guard directory.isRegularFile(prefix + "up.sql") else {
                findings.append(Finding(
                    diagnostic: .migrationFormat, severity: .error,
                    message: "folder `\(folder.name)` has no up.sql: diesel stops with \"unknown migration format\"",
                    help: "add an up.sql to the folder, or move the folder out of the migrations directory",
                    location: FileLocation(path: directory.displayPath(folder.relative), line: 1, column: 1)))
                continue
            }
            migrations.append((version(ofFolder: folder.name), folder))
        }
        migrations.sort { ($0.version, $0.folder.name) < ($1.version, $1.folder.name) }
        var files: [MigrationFile] = []
        var downFiles: [MigrationFile] = []
        for (version, folder) in migrations {
            let prefix = folder.relative.isEmpty ? "" : folder.relative + "/"
            let transaction = transactionMode(folder: prefix, in: directory, findings: &findings)
            let description = MigrationDiscovery.describe(folder.name, afterVersion: String(folder.name.prefix { $0 != "_" }))
            guard let file = MigrationDiscovery.load(prefix + "up.sql", in: directory, findings: &findings, make: { path, bytes in
                MigrationFile(path: path, version: version, name: description, direction: .up, transaction: transaction,
                              original: SourceText(bytes: bytes))
            }) else { continue }
            if file.original.bytes.isEmpty {
                findings.append(Finding(diagnostic: .migrationFormat, severity: .error,
                                        message: "up.sql is empty: diesel refuses to run an empty migration",
                                        help: "write the migration, or remove the folder",
                                        location: FileLocation(path: file.path, line: 1, column: 1)))
            }
            var upFile = file
            upFile.hasDown = directory.isRegularFile(prefix + "down.sql")
            files.append(upFile)
            if directory.isRegularFile(prefix + "down.sql"),
               let down = MigrationDiscovery.load(prefix + "down.sql", in: directory, findings: &findings, make: { path, bytes in
                   MigrationFile(path: path, version: version, name: description, direction: .down, transaction: transaction,
                                 original: SourceText(bytes: bytes))
               }) {
                downFiles.append(down)
            }
        }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: files, downFiles: downFiles, gaps: [],
                            findings: findings)
    }

    /// `metadata.toml`'s `run_in_transaction`. Diesel deserialises it with
    /// `#[serde(default)] run_in_transaction: bool`: without the file a migration runs in a
    /// transaction, but a metadata.toml that omits the key means `false`.
    static func transactionMode(folder prefix: String, in directory: MigrationDirectory, findings: inout [Finding]) -> TransactionMode {
        let relative = prefix + "metadata.toml"
        guard directory.isRegularFile(relative), case .success(let bytes) = directory.read(relative) else { return .explicitPerFile }
        switch TopLevelBoolean.read("run_in_transaction", in: bytes) {
        case .value(true): return .explicitPerFile
        case .value(false), .absent: return .implicitSingleQuery
        case .invalid(let line):
            findings.append(Finding(diagnostic: .migrationFormat, severity: .warning,
                                    message: "metadata.toml: `run_in_transaction` is not a boolean; diesel refuses the migration",
                                    help: "write `run_in_transaction = true` or `run_in_transaction = false`",
                                    location: FileLocation(path: directory.displayPath(relative), line: line, column: 1)))
            return .explicitPerFile
        }
    }
}

/// One top-level boolean key of a TOML document (`key = true`), the only thing Steward reads
/// from diesel's `metadata.toml`. Keys inside `[tables]` are not top-level and are ignored.
enum TopLevelBoolean: Equatable {
    case value(Bool), absent, invalid(line: Int)

    static func read(_ key: String, in bytes: [UInt8]) -> TopLevelBoolean {
        for (number, range) in lineRanges(bytes).enumerated() {
            var line = Substring(String(decoding: bytes[range], as: UTF8.self))
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") { return .absent }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            guard name == key || name == "\"\(key)\"" else { continue }
            switch trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces) {
            case "true": return .value(true)
            case "false": return .value(false)
            default: return .invalid(line: number + 1)
            }
        }
        return .absent
    }
}
