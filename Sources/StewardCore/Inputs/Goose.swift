import Foundation
import StewardSQL

/// pressly/goose: `<version>_<name>.sql` (int64 version order) with `-- +goose Up` /
/// `-- +goose Down` sections in one file; `.go` migrations interleave by version. Each file
/// runs in one transaction unless it says `-- +goose NO TRANSACTION`.
enum GooseLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.goose

    static func recognizes(_ directory: MigrationDirectory) -> Bool {
        directory.sqlFiles.prefix(5).contains { directory.peek($0).lowercased().contains("-- +goose up") }
    }

    static func version(_ name: String) -> String? {
        guard let digits = Versions.leadingDigits(name), name.dropFirst(digits.count).first == "_" else { return nil }
        return digits
    }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        var files: [MigrationFile] = [], gaps: [MigrationGap] = []
        for name in directory.entries where directory.isRegularFile(name) {
            guard let version = version(name) else { continue }
            if name.hasSuffix(".go"), !name.hasSuffix("_test.go") {
                gaps.append(MigrationGap(path: directory.displayPath(name), version: version,
                                         reason: "goose Go migration: its schema changes are invisible to SQL replay"))
                continue
            }
            guard name.hasSuffix(".sql") else { continue }
            if let file = MigrationDiscovery.load(name, in: directory, findings: &findings, make: { path, bytes in
                upSection(of: bytes, path: path, version: version, name: MigrationDiscovery.describe(name, afterVersion: version))
            }) { files.append(file) }
        }
        files.sort { Versions.numericLess($0.version, $1.version) }
        gaps.sort { Versions.numericLess($0.version, $1.version) }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: files, downFiles: [], gaps: gaps, findings: findings)
    }

    /// Keeps only the Up section's SQL (annotations are comments, left in place).
    static func upSection(of bytes: [UInt8], path: String, version: String, name: String) -> MigrationFile {
        var masked = bytes
        var inUp = false
        var sawUp = false
        var noTransaction = false
        var sawDown = false
        for range in lineRanges(bytes) {
            if let line = commentLine(bytes, range), line.hasPrefix("-- +goose") {
                let annotation = line.dropFirst("-- +goose".count).trimmingCharacters(in: .whitespaces)
                switch annotation {
                case "up": inUp = true; sawUp = true
                case "down": inUp = false; sawDown = true
                case "no transaction": noTransaction = true
                default: break
                }
                continue
            }
            if !inUp { blank(&masked, range.lowerBound..<min(range.upperBound + 1, bytes.count)) }
        }
        var notices: [Finding] = []
        if !sawUp {
            notices.append(Finding(diagnostic: .migrationFormat,
                                   message: "goose file has no `-- +goose Up` annotation; goose refuses to run it",
                                   help: "start the file with `-- +goose Up`", location: FileLocation(path: path, line: 1, column: 1)))
        }
        var file = MigrationFile(path: path, version: version, name: name, direction: .up,
                                 transaction: noTransaction ? .perStatement : .explicitPerFile,
                                 original: SourceText(bytes: bytes), source: SourceText(bytes: masked), notices: notices)
        file.hasDown = sawDown
        return file
    }
}
