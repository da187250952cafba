import Foundation
import StewardCore
import Testing

/// Runs every rule's documented examples: triggering ones must be flagged exactly at the
/// `↓` markers, non-triggering ones must be silent, and `-- steward:ignore <id>` must
/// silence a triggering one.
struct RuleExamplesTests {
    static let rules: [String] = RuleRegistry.all.map(\.descriptor.id)

    struct Marked {
        var text: String
        var markers: [(line: Int, column: Int)]
    }

    /// Removes `↓` and returns the 1-based line/column (in characters) each one marked.
    static func unmark(_ text: String) -> Marked {
        var markers: [(Int, Int)] = []
        var lines: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var cleaned = ""
            for character in line {
                if character == "↓" { markers.append((index + 1, cleaned.count + 1)) } else { cleaned.append(character) }
            }
            lines.append(cleaned)
        }
        return Marked(text: lines.joined(separator: "\n"), markers: markers)
    }

    func analyze(_ example: RuleExample, extraSQLPrefix: String = "") throws -> (findings: [Finding], sqlPath: String, manifestPath: String) {
        let directory = try TemporaryDirectory()
        let sql = Self.unmark(example.sql)
        let manifest = Self.unmark(example.manifest ?? "version: 1\nservices: {}\n")
        let sqlFile = try directory.write("migrations/001_example.sql", extraSQLPrefix + sql.text + "\n")
        let manifestFile = try directory.write("ownership.yml", manifest.text)
        let analysis = try Analyzer.analyze(AnalysisOptions(directory: sqlFile.deletingLastPathComponent().path, manifestPath: manifestFile.path))
        return (analysis.findings, sqlFile.path, manifestFile.path)
    }

    @Test("triggering examples are flagged at their markers", arguments: rules)
    func triggering(_ id: String) throws {
        let rule = try #require(RuleRegistry.rule(id: id))
        #expect(!rule.descriptor.triggering.isEmpty, "\(id) documents no triggering example")
        for example in rule.descriptor.triggering {
            let (findings, sqlPath, manifestPath) = try analyze(example)
            let flagged = findings.filter { $0.ruleID == id }.compactMap(\.location).map { "\($0.path):\($0.line):\($0.column)" }.sorted()
            let expected = (Self.unmark(example.sql).markers.map { "\(sqlPath):\($0.line):\($0.column)" }
                + Self.unmark(example.manifest ?? "").markers.map { "\(manifestPath):\($0.line):\($0.column)" }).sorted()
            #expect(!expected.isEmpty, "a triggering example of \(id) marks no position with ↓")
            #expect(flagged == expected, "\(id) on:\n\(example.sql)")
        }
    }

    @Test("non-triggering examples are silent", arguments: rules)
    func nonTriggering(_ id: String) throws {
        let rule = try #require(RuleRegistry.rule(id: id))
        #expect(!rule.descriptor.nonTriggering.isEmpty, "\(id) documents no non-triggering example")
        for example in rule.descriptor.nonTriggering {
            let findings = try analyze(example).findings.filter { $0.ruleID == id }
            #expect(findings.isEmpty, "\(id) flagged a non-triggering example: \(findings.map(\.message))")
        }
    }

    @Test("a steward:ignore comment silences the rule", arguments: rules)
    func suppression(_ id: String) throws {
        let rule = try #require(RuleRegistry.rule(id: id))
        for example in rule.descriptor.triggering {
            // Put the comment on the line above every marked line: `--` in SQL, `#` in the manifest.
            let sql = Self.suppressing(example.sql, id: id, comment: "--")
            let manifest = example.manifest.map { Self.suppressing($0, id: id, comment: "#") }
            let findings = try analyze(RuleExample(sql, manifest: manifest)).findings
            #expect(findings.filter { $0.ruleID == id }.isEmpty, "steward:ignore did not silence \(id)")
        }
    }

    static func suppressing(_ text: String, id: String, comment: String) -> String {
        let marked = unmark(text)
        let markedLines = Set(marked.markers.map(\.line))
        return marked.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            guard markedLines.contains(index + 1) else { return String(line) }
            let indentation = line.prefix { $0 == " " }
            return "\(indentation)\(comment) steward:ignore \(id)\n\(line)"
        }.joined(separator: "\n")
    }

    @Test("rule ids are unique kebab-case and every rule explains itself")
    func descriptors() {
        let ids = RuleRegistry.all.map(\.descriptor.id) + RuleRegistry.diagnostics.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in RuleRegistry.all {
            let descriptor = rule.descriptor
            #expect(descriptor.id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(descriptor.id) is not kebab-case")
            #expect(!descriptor.summary.isEmpty && !descriptor.rationale.isEmpty && !descriptor.remedy.isEmpty)
        }
    }
}
