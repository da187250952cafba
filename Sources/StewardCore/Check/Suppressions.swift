import Foundation
import StewardSQL

/// `-- steward:ignore rule-id[, other-id]` on the flagged line or the line above silences
/// those rules there. A reason after ` -- ` is encouraged but not required.
enum Suppressions {
    static func filter(_ findings: [Finding], sources: [String: SourceText]) -> [Finding] {
        findings.filter { finding in
            guard let location = finding.location, let source = sources[location.path] else { return true }
            return ![location.line, location.line - 1].contains { line in
                ignoredRules(onLine: source.line(line)).contains(finding.ruleID)
            }
        }
    }

    static func ignoredRules(onLine line: String) -> Set<String> {
        guard let marker = line.range(of: "steward:ignore") else { return [] }
        let list = line[marker.upperBound...].split(separator: "--", maxSplits: 1).first ?? ""
        return Set(list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init))
    }
}
