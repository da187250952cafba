import Foundation
import StewardSQL

/// `-- steward:ignore rule-id[, other-id] -- reason` on the flagged line or the line above
/// silences those rules there; in ownership.yml the comment is `# steward:ignore rule-id -- reason`.
/// Comments are read with libpg_query's scanner, so a marker inside a string literal or a
/// function body's quoted text does not count. Suppressed findings are kept, marked as
/// allowed with the reason, and a suppression that silences nothing is reported.
public struct Suppression: Sendable, Hashable {
    public var location: FileLocation
    /// The last line the comment is on: it covers that line and the next.
    public var line: Int
    public var rules: [String]
    public var reason: String?
}

enum Suppressions {
    static let marker = "steward:ignore"

    /// Marks suppressed findings as allowed and adds findings about the suppressions themselves.
    /// `skippedRules`: rules that did not run; a suppression naming one is not "unused".
    /// `queryFiles`: the services' query files, whose comments suppress like a migration's.
    static func apply(to findings: inout [Finding], migrations: MigrationSet, manifest: OwnershipManifest?, skippedRules: Set<String> = [],
                      queryFiles: [QuerySet.File] = []) {
        var suppressions: [String: [Suppression]] = [:]
        for file in migrations.files {
            let found = inSQL(file)
            if !found.isEmpty { suppressions[file.path] = found }
        }
        for file in queryFiles where contains(file.source.bytes, Array(marker.utf8)) {
            suppressions[file.path] = inSQL(file.source, path: file.path)
        }
        if let manifest, contains(manifest.source.bytes, Array(marker.utf8)) {
            suppressions[manifest.path] = inManifest(manifest.source, path: manifest.path)
        }
        guard !suppressions.isEmpty else { return }
        var used = Set<Suppression>()
        // In place: a report holds tens of thousands of findings, and a copy of them would add
        // to the run's peak memory.
        for index in findings.indices {
            guard !findings[index].isAllowed, let location = findings[index].location, let inFile = suppressions[location.path],
                  let match = inFile.first(where: { ($0.line == location.line || $0.line + 1 == location.line) && $0.rules.contains(findings[index].ruleID) })
            else { continue }
            used.insert(match)
            findings[index].allowance = Allowance(source: .suppressionComment, path: location.path, line: match.location.line, reason: match.reason)
        }
        let known = RuleConfiguration.knownNames
        for suppression in suppressions.values.joined() {
            if suppression.reason == nil {
                findings.append(Finding(diagnostic: .suppressionWithoutReason,
                                        message: "steward:ignore \(suppression.rules.joined(separator: ", ")) gives no reason",
                                        help: "say why after ` -- `: -- steward:ignore \(suppression.rules.joined(separator: ", ")) -- <reason>",
                                        location: suppression.location))
            }
            if !used.contains(suppression), !suppression.rules.contains(where: skippedRules.contains) {
                let unknown = suppression.rules.filter { !known.contains($0) }
                let message = suppression.rules.isEmpty ? "steward:ignore names no rule"
                    : !unknown.isEmpty ? "steward:ignore names unknown rule\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", "))"
                    : "steward:ignore \(suppression.rules.joined(separator: ", ")) silences nothing on this line or the next"
                findings.append(Finding(diagnostic: .unusedSuppression, message: message,
                                        help: "remove the comment, or fix the rule id (`steward rules` lists them)", location: suppression.location))
            }
        }
    }

    /// A migration's suppressions: kept from when its text was released, or read from the text.
    static func inSQL(_ file: MigrationFile) -> [Suppression] {
        if let released = file.released { return released.suppressions }
        return contains(file.source.bytes, Array(marker.utf8)) ? inSQL(file.source, path: file.path) : []
    }

    static func inSQL(_ source: SourceText, path: String) -> [Suppression] {
        (SQLParser.comments(source) ?? []).compactMap { comment in
            var body = Substring(comment.text)
            if body.hasPrefix("--") { body = body.dropFirst(2) } else if body.hasPrefix("/*") { body = body.dropFirst(2).dropLast(2) }
            let start = source.location(ofByte: comment.range.lowerBound)
            let end = source.location(ofByte: max(comment.range.lowerBound, comment.range.upperBound - 1))
            return parse(body, location: FileLocation(path: path, line: start.line, column: start.column, length: comment.text.count), line: end.line)
        }
    }

    /// YAML comments: `#` at the start of a line or after a blank, outside quotes Yams would see.
    static func inManifest(_ source: SourceText, path: String) -> [Suppression] {
        var result: [Suppression] = []
        let text = String(decoding: source.bytes, as: UTF8.self)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let hash = line.indices.first(where: { line[$0] == "#" && ($0 == line.startIndex || line[line.index(before: $0)].isWhitespace) }) else { continue }
            let column = line.distance(from: line.startIndex, to: hash) + 1
            if let suppression = parse(line[line.index(after: hash)...], location: FileLocation(path: path, line: index + 1, column: column, length: line.count - column + 1), line: index + 1) {
                result.append(suppression)
            }
        }
        return result
    }

    /// `steward:ignore a, b -- reason` (leading blanks allowed); nil for any other comment.
    static func parse(_ body: Substring, location: FileLocation, line: Int) -> Suppression? {
        let trimmed = body.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix(marker) else { return nil }
        let rest = trimmed.dropFirst(marker.count)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        let parts = rest.components(separatedBy: "--")
        let rules = parts[0].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        let reason = parts.dropFirst().joined(separator: "--").trimmingCharacters(in: .whitespaces)
        return Suppression(location: location, line: line, rules: rules, reason: reason.isEmpty ? nil : reason)
    }

    /// Whether `needle` (non-empty) occurs in `bytes`: a cheap filter before the scanner runs.
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { haystack in
            guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
            var position = 0
            let last = haystack.count - needle.count
            while position <= last, let found = memchr(base + position, Int32(needle[0]), last - position + 1) {
                position = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if needle.indices.allSatisfy({ haystack[position + $0] == needle[$0] }) { return true }
                position += 1
            }
            return false
        }
    }
}
