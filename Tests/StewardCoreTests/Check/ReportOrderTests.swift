@testable import StewardCore
import Testing

/// The report's order comes from compact keys, with `Finding.reportOrder` deciding ties: it
/// must be exactly the order `Finding.reportOrder` gives, including for lines and columns too
/// large for the keys' bits and for findings without a location.
struct ReportOrderTests {
    static func finding(_ path: String?, _ line: Int, _ column: Int, rule: String = "drop-column", message: String = "m") -> Finding {
        Finding(ruleID: rule, severity: .warning, message: message,
                location: path.map { FileLocation(path: $0, line: line, column: column) })
    }

    /// Readable when a comparison fails.
    static func described(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.location.map { "\($0.path):\($0.line):\($0.column)" } ?? "-") \($0.ruleID) \($0.message)" }
    }

    @Test func matchesFindingReportOrder() {
        let paths: [String?] = [nil, "b.sql", "a.sql", "a/b.sql", "c.sql", "é.sql"]
        // Around the largest column of the key's field (24 bits), and lines up to the largest a
        // location holds (32 bits; beyond, clamped).
        let lines = [1, 2, 9, 1 << 26, Int(Int32.max) - 1, Int(Int32.max), 1 << 40]
        let columns = [1, 3, 1 << 18, 1 << 24 - 1, 1 << 24, 1 << 24 + 2, 1 << 30]
        // Every combination, in a scrambled but fixed order (a stride prime to the count).
        var all: [Finding] = []
        for path in paths {
            for line in lines {
                for column in columns {
                    for (rule, message) in [("b-rule", "m1"), ("a-rule", "m2"), ("a-rule", "m0")] {
                        all.append(Self.finding(path, line, column, rule: rule, message: message))
                    }
                }
            }
        }
        let findings = all.indices.map { all[($0 * 7_919) % all.count] }
        #expect(Set(findings.indices.map { ($0 * 7_919) % all.count }).count == all.count, "the stride visits every finding")
        let ordered = Analyzer.reportOrder(of: findings).map { findings[$0] }
        #expect(Self.described(ordered) == Self.described(findings.sorted(by: Finding.reportOrder)))
        #expect(Set(Analyzer.reportOrder(of: findings)).count == findings.count, "a permutation")
    }

    /// Two rules flag one position with spans of different lengths (a statement and a column
    /// type in it): the report's order must not depend on which rule ran first.
    @Test func samePositionDifferentSpans() {
        let lock = Finding(ruleID: "missing-lock-timeout", severity: .warning, message: "m",
                           location: FileLocation(path: "a.sql", line: 3, column: 5, length: 5))
        let type = Finding(ruleID: "prefer-text-over-varchar", severity: .warning, message: "m",
                           location: FileLocation(path: "a.sql", line: 3, column: 5, length: 12))
        let longer = Finding(ruleID: "missing-lock-timeout", severity: .warning, message: "m",
                             location: FileLocation(path: "a.sql", line: 3, column: 5, length: 9))
        let expected = Self.described([lock, longer, type]) + ["5 9 12"]
        for findings in [[lock, type, longer], [type, longer, lock], [longer, lock, type]] {
            let ordered = Analyzer.reportOrder(of: findings).map { findings[$0] }
            #expect(Self.described(ordered) + [ordered.map { "\($0.location!.length)" }.joined(separator: " ")] == expected)
        }
    }

    @Test func manyPathsAndNoLocations() {
        let findings = (0..<2000).reversed().map { Self.finding($0 % 7 == 0 ? nil : "m\($0).sql", $0 % 5, 1) }
        #expect(Self.described(Analyzer.reportOrder(of: findings).map { findings[$0] }) == Self.described(findings.sorted(by: Finding.reportOrder)))
        #expect(Analyzer.reportOrder(of: []) == [])
    }
}
