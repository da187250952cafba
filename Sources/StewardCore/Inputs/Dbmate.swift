import Foundation
import StewardSQL

/// dbmate: files whose names start with digits, applied in **lexical** filename order
/// (the code compares strings). `-- migrate:up` / `-- migrate:down` sections; each up
/// block runs in a transaction unless it says `transaction:false`, in which case the
/// block is still sent as one query (one implicit transaction).
enum DbmateLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.dbmate

    static func recognizes(_ directory: MigrationDirectory) -> Bool {
        directory.sqlFiles.prefix(5).contains { directory.peek($0).contains("-- migrate:up") }
    }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        let files = directory.sqlFiles.filter { Versions.leadingDigits($0) != nil }.sorted().compactMap { name in
            MigrationDiscovery.load(name, in: directory, findings: &findings) { path, bytes in
                let version = Versions.leadingDigits(name) ?? ""
                return upSections(of: bytes, path: path, version: version, name: MigrationDiscovery.describe(name, afterVersion: version))
            }
        }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: files, downFiles: [], gaps: [], findings: findings)
    }

    static func upSections(of bytes: [UInt8], path: String, version: String, name: String) -> MigrationFile {
        var masked = bytes
        var inUp = false
        var sawUp = false
        var noTransaction = false
        for range in lineRanges(bytes) {
            if let line = commentLine(bytes, range), line.dropFirst(2).trimmingCharacters(in: .whitespaces).hasPrefix("migrate:") {
                let directive = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                if directive.hasPrefix("migrate:up") {
                    inUp = true
                    sawUp = true
                    if directive.replacingOccurrences(of: " ", with: "").contains("transaction:false") { noTransaction = true }
                } else if directive.hasPrefix("migrate:down") {
                    inUp = false
                }
                continue
            }
            if !inUp { blank(&masked, range.lowerBound..<min(range.upperBound + 1, bytes.count)) }
        }
        var notices: [Finding] = []
        if !sawUp {
            notices.append(Finding(diagnostic: .migrationFormat,
                                   message: "dbmate file has no `-- migrate:up` section; dbmate refuses to run it",
                                   help: "add `-- migrate:up` before the SQL and `-- migrate:down` after it",
                                   location: FileLocation(path: path, line: 1, column: 1)))
        }
        return MigrationFile(path: path, version: version, name: name, direction: .up,
                             transaction: noTransaction ? .implicitSingleQuery : .explicitPerFile,
                             original: SourceText(bytes: bytes), source: SourceText(bytes: masked), notices: notices)
    }
}
