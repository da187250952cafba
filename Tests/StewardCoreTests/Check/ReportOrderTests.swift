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
        var generator = SplitMix(seed: 7)
        let paths = ["b.sql", "a.sql", "a/b.sql", "c.sql", "é.sql"]
        let lines = [1, 2, 9, 1 << 26 - 1, 1 << 26, 1 << 26 + 5, 1 << 40]
        let columns = [1, 3, 1 << 18 - 1, 1 << 18, 1 << 18 + 2, 1 << 30]
        var findings: [Finding] = []
        for _ in 0..<3000 {
            let path = generator.next() % 10 == 0 ? nil : paths[Int(generator.next() % UInt64(paths.count))]
            findings.append(Self.finding(path, lines[Int(generator.next() % UInt64(lines.count))],
                                         columns[Int(generator.next() % UInt64(columns.count))],
                                         rule: ["a-rule", "b-rule"][Int(generator.next() % 2)], message: "m\(generator.next() % 3)"))
        }
        let ordered = Analyzer.reportOrder(of: findings).map { findings[$0] }
        #expect(Self.described(ordered) == Self.described(findings.sorted(by: Finding.reportOrder)))
        #expect(Set(Analyzer.reportOrder(of: findings)).count == findings.count, "a permutation")
    }

    @Test func manyPathsAndNoLocations() {
        let findings = (0..<2000).reversed().map { Self.finding($0 % 7 == 0 ? nil : "m\($0).sql", $0 % 5, 1) }
        #expect(Self.described(Analyzer.reportOrder(of: findings).map { findings[$0] }) == Self.described(findings.sorted(by: Finding.reportOrder)))
        #expect(Analyzer.reportOrder(of: []) == [])
    }
}

/// A small deterministic generator, so that a failure reproduces.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
