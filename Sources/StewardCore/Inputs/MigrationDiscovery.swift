import Foundation
import StewardSQL

/// One migration tool's directory layout: which files are migrations, their order,
/// which part of each file runs "up", and how the tool wraps it in transactions.
protocol MigrationLayoutReader: Sendable {
    static var layout: MigrationLayout { get }
    /// Whether the directory looks like this tool's (checked in `MigrationDiscovery.detectionOrder`).
    static func recognizes(_ directory: MigrationDirectory) -> Bool
    static func read(_ directory: MigrationDirectory) -> MigrationSet
}

extension MigrationLayoutReader {
    /// Files worth reading ahead in parallel: the top-level `.sql` files, for most layouts.
    static func candidates(in directory: MigrationDirectory) -> [String] { directory.sqlFiles }
}

public enum MigrationDiscovery {
    /// Most specific first: a marker file or a strict naming scheme beats content sniffing.
    static let detectionOrder: [any MigrationLayoutReader.Type] = [
        SqitchLayout.self, PrismaLayout.self, DieselLayout.self, AtlasLayout.self, GolangMigrateLayout.self, FlywayLayout.self,
        GooseLayout.self, DbmateLayout.self, PlainLayout.self,
    ]

    /// Layouts that read only the directory's top level: `.sql` files in its sub-folders are
    /// not theirs, and are reported rather than silently left out.
    static let topLevelLayouts: Set<MigrationLayout> = [.plain, .golangMigrate, .goose, .dbmate, .atlas]

    /// Finds and orders the migrations of `path`, detecting the layout unless `layout` is given.
    public static func discover(at path: String, layout: MigrationLayout? = nil) throws(InputError) -> MigrationSet {
        let directory = try MigrationDirectory(path: path)
        let reader: any MigrationLayoutReader.Type
        if let layout {
            reader = detectionOrder.first { $0.layout == layout } ?? PlainLayout.self
        } else {
            reader = detectionOrder.first { $0.recognizes(directory) } ?? PlainLayout.self
        }
        directory.prefetch(reader.candidates(in: directory))
        var set = reader.read(directory)
        let runByPsql = set.layout == .sqitch
        set.files = set.files.concurrentMap { maskPsqlMetaCommands($0, runByPsql: runByPsql) }
        set.findings += duplicateVersions(in: set)
        if topLevelLayouts.contains(set.layout) { set.findings += unreadFolders(in: directory, layout: set.layout) }
        // Migrations that could not be read are findings (exit 1), not "nothing found".
        if set.files.isEmpty, !set.findings.contains(where: { $0.ruleID == Diagnostic.unreadableFile.id }) {
            let unread = set.findings.filter { $0.ruleID == Diagnostic.unreadDirectory.id }.compactMap(\.location?.path)
            throw InputError(path: directory.displayRoot, message: "no migrations found (read as \(set.layout.rawValue))"
                + (unread.isEmpty ? "" : "; .sql files sit in sub-folders no layout reads here: \(unread.joined(separator: ", "))")
                + "; pass the folder that holds the migrations, or --layout to name the tool")
        }
        return set
    }

    /// Sub-folders (one level down) holding `.sql` files that a top-level layout does not read.
    static func unreadFolders(in directory: MigrationDirectory, layout: MigrationLayout) -> [Finding] {
        // `sqlFiles` are known not to be folders: only the other entries are looked at.
        let files = Set(directory.sqlFiles)
        return directory.entries.filter { !files.contains($0) && directory.isDirectory($0) }.compactMap { folder -> Finding? in
            let count = MigrationDirectory.sqlFileCount(inFolder: directory.path(folder))
            guard count > 0 else { return nil }
            return Finding(diagnostic: .unreadDirectory,
                           message: "folder \(folder)/ holds \(count) .sql file\(count == 1 ? "" : "s") that \(layout.rawValue) does not read: they are not checked",
                           help: "point Steward at that folder, or pass --layout if the tool is another one (diesel, prisma and flyway read sub-folders)",
                           location: FileLocation(path: directory.displayPath(folder), line: 1, column: 1))
        }
    }

    /// One file's contents as its layout's tool would run them (sections, meta-commands),
    /// without touching the disk: for the fuzzer and for tools that hold SQL in memory.
    public static func file(path: String, contents: [UInt8], layout: MigrationLayout) -> MigrationFile {
        let file: MigrationFile
        switch layout {
        case .goose: file = GooseLayout.upSection(of: contents, path: path, version: "1", name: path)
        case .dbmate: file = DbmateLayout.upSections(of: contents, path: path, version: "1", name: path)
        case .atlas:
            file = MigrationFile(path: path, version: "1", name: path, direction: .up, transaction: AtlasLayout.transactionMode(contents),
                                 original: SourceText(bytes: contents))
        default:
            file = MigrationFile(path: path, version: "1", name: path, direction: .up, transaction: .perStatement, original: SourceText(bytes: contents))
        }
        return maskPsqlMetaCommands(file, runByPsql: layout == .sqitch)
    }

    /// Loads one file and turns it into a `MigrationFile` after a layout-specific transform
    /// of its text; unreadable files become findings.
    static func load(_ relative: String, in directory: MigrationDirectory, findings: inout [Finding],
                     make: (_ path: String, _ bytes: [UInt8]) -> MigrationFile?) -> MigrationFile? {
        switch directory.read(relative) {
        case .success(let bytes):
            if let (offset, reason) = notText(bytes) {
                // Postgres refuses both (a NUL cannot cross the protocol; a UTF-8 database rejects
                // the bytes): the migration fails, so the file is reported and not replayed.
                let location = SourceText(bytes: bytes).location(ofByte: offset)
                findings.append(Finding(diagnostic: .unreadableFile, message: "\(reason) at line \(location.line), column \(location.column)",
                                        help: "save the migration as UTF-8 text without NUL bytes; Postgres would reject it",
                                        location: FileLocation(path: directory.displayPath(relative), line: location.line, column: location.column)))
                return nil
            }
            return make(directory.displayPath(relative), bytes)
        case .failure(let error):
            findings.append(Finding(diagnostic: .unreadableFile, message: error.message,
                                    help: "fix the file's permissions or remove it from the migrations directory",
                                    location: FileLocation(path: error.path, line: 1, column: 1)))
            return nil
        }
    }

    /// The first byte that makes `bytes` not UTF-8 text (a NUL, or an invalid sequence), and why.
    static func notText(_ bytes: [UInt8]) -> (offset: Int, reason: String)? {
        if let nul = bytes.withUnsafeBufferPointer({ buffer -> Int? in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }) { return (nul, "not a text file: a NUL byte") }
        // The standard library's validation is fast; the byte-by-byte decoder only finds where it failed.
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return (offset, "not UTF-8 text: an invalid byte sequence")
            }
        }
    }

    /// psql meta-commands (`\connect`, `\set`, `\i`) are client-side: the server (and the
    /// parser) would reject them. They are blanked and reported, unless the backslash sits
    /// inside a quoted string or a dollar-quoted body. For tools that run scripts through
    /// psql (Sqitch) they are features, reported as information; so are psql variables
    /// (`:'name'`), whose `:` is blanked so that the name stands in for the unknown value.
    static func maskPsqlMetaCommands(_ file: MigrationFile, runByPsql: Bool = false) -> MigrationFile {
        var file = maskCopyData(file)
        if runByPsql { file = maskPsqlVariables(file) }
        let bytes = file.source.bytes
        guard containsByte(bytes, UInt8(ascii: "\\")) else { return file }
        var candidates: [Range<Int>] = []
        for range in lineRanges(bytes) {
            var index = range.lowerBound
            while index < range.upperBound, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            if index < range.upperBound, bytes[index] == UInt8(ascii: "\\") { candidates.append(index..<range.upperBound) }
        }
        guard !candidates.isEmpty else { return file }
        let quoted = SQLParser.quotedRanges(file.source)
        var masked = bytes
        var result = file
        for candidate in candidates where !quoted.contains(where: { $0.contains(candidate.lowerBound) }) {
            blank(&masked, candidate)
            let location = file.source.location(ofByte: candidate.lowerBound)
            let command = String(decoding: bytes[candidate], as: UTF8.self).split(separator: " ").first.map(String.init) ?? "\\"
            result.notices.append(Finding(
                diagnostic: .psqlMetaCommand, severity: runByPsql ? .info : nil,
                message: runByPsql
                    ? "psql meta-command `\(command)`: psql runs it (this tool runs scripts through psql); Steward does not follow it"
                    : "psql meta-command `\(command)` skipped: only psql understands it, the migration tool sends it to the server",
                help: runByPsql ? "nothing to fix; Steward cannot see what the meta-command does to the schema"
                    : "run this file with psql, or replace the meta-command with SQL",
                location: FileLocation(path: file.path, line: location.line, column: location.column, length: command.count)))
        }
        result.source = SourceText(bytes: masked)
        return result
    }

    /// pg_dump-style `COPY … FROM stdin;` lines are followed by data rows up to a `\.` line:
    /// data, not SQL. The statement is recognised by libpg_query; candidates are the lines
    /// that start with the COPY keyword.
    static func maskCopyData(_ file: MigrationFile) -> MigrationFile {
        let bytes = file.source.bytes
        // The `\.` terminator needs a backslash: most files have none and cost one scan.
        guard containsByte(bytes, UInt8(ascii: "\\")) else { return file }
        let lines = lineRanges(bytes)
        guard lines.contains(where: { isTerminator(bytes, $0) }) else { return file }
        var masked = bytes
        var index = 0
        var changed = false
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard startsWithCopy(bytes, line), SQLParser.isCopyFromStdin(Array(bytes[line])) else { continue }
            guard let end = lines[index...].firstIndex(where: { isTerminator(bytes, $0) }) else { break }
            for data in lines[index...end] { blank(&masked, data) }
            changed = true
            index = end + 1
        }
        guard changed else { return file }
        var result = file
        result.source = SourceText(bytes: masked)
        return result
    }

    private static func isTerminator(_ bytes: [UInt8], _ line: Range<Int>) -> Bool {
        let trimmed = line.upperBound > line.lowerBound && bytes[line.upperBound - 1] == 0x0D ? line.lowerBound..<(line.upperBound - 1) : line
        return trimmed.count == 2 && bytes[trimmed.lowerBound] == UInt8(ascii: "\\") && bytes[trimmed.lowerBound + 1] == UInt8(ascii: ".")
    }

    private static func startsWithCopy(_ bytes: [UInt8], _ line: Range<Int>) -> Bool {
        guard line.count >= 5 else { return false }
        return String(decoding: bytes[line.lowerBound..<(line.lowerBound + 5)], as: UTF8.self).lowercased() == "copy "
    }

    static func maskPsqlVariables(_ file: MigrationFile) -> MigrationFile {
        guard containsByte(file.source.bytes, UInt8(ascii: ":")) else { return file }
        let references = SQLParser.psqlVariableReferences(file.source)
        guard let first = references.first else { return file }
        var masked = file.source.bytes
        for reference in references { masked[reference.colon] = UInt8(ascii: " ") }
        var result = file
        result.source = SourceText(bytes: masked)
        let location = file.source.location(ofByte: first.colon)
        let name = String(decoding: file.source.bytes[first.range], as: UTF8.self)
        result.notices.append(Finding(
            diagnostic: .psqlMetaCommand, severity: .info,
            message: "psql variable \(name)\(references.count > 1 ? " and \(references.count - 1) more" : ""): psql substitutes it when this tool runs the script; Steward reads the variable's name in its place",
            help: "nothing to fix; where the value names a schema object, the model uses the variable's name",
            location: FileLocation(path: file.path, line: location.line, column: location.column, length: name.count)))
        return result
    }

    static func duplicateVersions(in set: MigrationSet) -> [Finding] {
        // Prisma records migrations by full folder name: two folders with one timestamp both run.
        guard set.layout != .prisma else { return [] }
        var firstByVersion: [String: String] = [:]
        var findings: [Finding] = []
        for file in set.files where file.direction == .up {
            let key = set.layout == .flyway ? Versions.flywayParts(file.version).joined(separator: ".")
                : (set.layout == .golangMigrate || set.layout == .goose) ? String(Versions.normalizedDigits(file.version)) : file.version
            if let first = firstByVersion[key] {
                findings.append(Finding(diagnostic: .duplicateMigrationVersion,
                    message: "version \(file.version) is used twice (also by \(first)); \(set.layout.rawValue) refuses or silently skips one of them",
                    help: "give this migration a new, higher version",
                    location: FileLocation(path: file.path, line: 1, column: 1)))
            } else {
                firstByVersion[key] = file.path
            }
        }
        return findings
    }

    /// The part of a name after the version and separator, without extension.
    static func describe(_ name: String, afterVersion version: String) -> String {
        var rest = name.dropFirst(version.count)
        while rest.first == "_" || rest.first == "-" { rest = rest.dropFirst() }
        for suffix in [".up.sql", ".down.sql", ".sql"] where rest.hasSuffix(suffix) {
            rest = rest.dropLast(suffix.count)
            break
        }
        return String(rest)
    }
}
