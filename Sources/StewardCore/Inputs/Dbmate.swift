import Foundation
import StewardSQL

/// dbmate: files whose names start with digits, applied in **lexical** filename order
/// (the code compares strings). `-- migrate:up` / `-- migrate:down` sections; each up
/// block runs in a transaction unless it says `transaction:false`, in which case the
/// block is still sent as one query (one implicit transaction).
enum DbmateLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.dbmate

    static func recognizes(_ directory: MigrationDirectory) -> Bool {
        directory.sqlFiles.prefix(5).contains { file in
            let head = Array(directory.peek(file).utf8)
            return lineRanges(head).contains { if case .up = directive(head, $0) { true } else { false } }
        }
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

    /// A dbmate directive line, as dbmate's regexes (pkg/dbmate/migration.go) match it: `--`
    /// at column 0, optional spaces, `migrate:up` or `migrate:down` (case-sensitive), then the
    /// end of the line or spaces and options.
    enum Directive: Equatable {
        case up(options: String), down
        /// The same text with leading whitespace: dbmate does not see a directive there.
        case indented
    }

    static func directive(_ bytes: [UInt8], _ range: Range<Int>) -> Directive? {
        var start = range.lowerBound
        while start < range.upperBound, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        guard range.upperBound - start >= 2, bytes[start] == UInt8(ascii: "-"), bytes[start + 1] == UInt8(ascii: "-") else { return nil }
        var index = start + 2
        while index < range.upperBound, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        let rest = String(decoding: bytes[index..<range.upperBound], as: UTF8.self)
        for (word, isUp) in [("migrate:up", true), ("migrate:down", false)] where rest.hasPrefix(word) {
            let after = rest.dropFirst(word.count)
            guard after.isEmpty || after.first == " " || after.first == "\t" || after.first == "\r" else { continue }
            if start != range.lowerBound { return .indented }
            return isUp ? .up(options: after.trimmingCharacters(in: .whitespaces)) : .down
        }
        return nil
    }

    static func upSections(of bytes: [UInt8], path: String, version: String, name: String) -> MigrationFile {
        var masked = bytes
        var inUp = false
        var sawUp = false
        var sawDown = false
        var noTransaction = false
        var reportedStatementBeforeUp = false
        var notices: [Finding] = []
        func notice(_ message: String, help: String, line: Int, severity: Severity? = nil) {
            notices.append(Finding(diagnostic: .migrationFormat, severity: severity, message: message, help: help,
                                   location: FileLocation(path: path, line: line, column: 1)))
        }
        for (number, range) in lineRanges(bytes).enumerated() {
            switch directive(bytes, range) {
            case .up(let options):
                inUp = true
                sawUp = true
                if options.split(separator: " ").contains("transaction:false") { noTransaction = true }
                continue
            case .down:
                if !sawUp { notice("`-- migrate:down` before `-- migrate:up`: dbmate refuses this file", help: "put the up section first", line: number + 1, severity: .error) }
                inUp = false
                sawDown = true
                continue
            case .indented:
                notice("indented `migrate:` marker: dbmate only reads markers that start at column 0, so this line is an ordinary comment",
                       help: "remove the indentation", line: number + 1)
            case nil:
                if !sawUp, !reportedStatementBeforeUp, commentLine(bytes, range) == nil, range.contains(where: { bytes[$0] != 0x20 && bytes[$0] != 0x09 && bytes[$0] != 0x0D }) {
                    notice("a statement before `-- migrate:up`: dbmate refuses this file (\"dbmate does not support statements preceding the '-- migrate:up' block\")",
                           help: "move the statement into the up section", line: number + 1, severity: .error)
                    reportedStatementBeforeUp = true
                }
            }
            if !inUp { blank(&masked, range.lowerBound..<min(range.upperBound + 1, bytes.count)) }
        }
        if !sawUp {
            notice("dbmate file has no `-- migrate:up` section; dbmate refuses to run it",
                   help: "add `-- migrate:up` before the SQL and `-- migrate:down` after it", line: 1, severity: .error)
        } else if !sawDown {
            notice("dbmate file has no `-- migrate:down` section; dbmate refuses to run it",
                   help: "add `-- migrate:down` after the up section (it may stay empty)", line: 1, severity: .error)
        }
        return MigrationFile(path: path, version: version, name: name, direction: .up,
                             transaction: noTransaction ? .implicitSingleQuery : .explicitPerFile,
                             original: SourceText(bytes: bytes), source: SourceText(bytes: masked), notices: notices)
    }
}
