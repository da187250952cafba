import Foundation
import StewardSQL

/// `-- steward:ignore rule-id[, other-id]` on the flagged line or the line above silences
/// those rules there. A reason after ` -- ` is encouraged but not required.
enum Suppressions {
    static func filter(_ findings: [Finding], sources: [String: SourceText]) -> [Finding] {
        // Most files have no suppression at all: one byte search per file spares reading
        // lines for each of their findings.
        var hasMarker: [String: Bool] = [:]
        return findings.filter { finding in
            guard let location = finding.location, let source = sources[location.path] else { return true }
            let mentioned = hasMarker[location.path] ?? contains(source.bytes, marker)
            hasMarker[location.path] = mentioned
            guard mentioned else { return true }
            return ![location.line, location.line - 1].contains { line in
                ignoredRules(onLine: source.line(line)).contains(finding.ruleID)
            }
        }
    }

    private static let marker = Array("steward:ignore".utf8)

    /// Whether `needle` (non-empty) occurs in `bytes`: memchr to each candidate first byte.
    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
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

    static func ignoredRules(onLine line: String) -> Set<String> {
        guard let marker = line.range(of: String(decoding: Self.marker, as: UTF8.self)) else { return [] }
        let list = line[marker.upperBound...].split(separator: "--", maxSplits: 1).first ?? ""
        return Set(list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init))
    }
}
