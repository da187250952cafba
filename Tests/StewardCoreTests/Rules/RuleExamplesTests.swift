import Foundation
import StewardCore
import Testing

/// Runs every rule's documented examples: triggering ones must be flagged exactly at the
/// `↓` markers, non-triggering ones must be silent, and `-- steward:ignore <id> -- reason`
/// must silence a triggering one (and count as used).
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

    struct Run {
        var findings: [Finding]
        /// Every marked position, as `path:line:column`.
        var expected: [String]
    }

    /// Writes the example's files into a fresh directory and checks it as the CLI would: the
    /// layout is detected from the names; `applied` becomes the `--since` history.
    func analyze(_ example: RuleExample, id: String) throws -> Run {
        let directory = try TemporaryDirectory()
        var expected: [String] = []
        var paths: [String: String] = [:]
        for file in example.files {
            let marked = Self.unmark(file.sql)
            let text = marked.text.hasSuffix("\n") ? marked.text : marked.text + "\n"
            let url = try directory.write("migrations/\(file.name)", text)
            paths[file.name] = url.path
            expected += marked.markers.map { "\(url.path):\($0.line):\($0.column)" }
        }
        for file in example.queries {
            let marked = Self.unmark(file.sql)
            let url = try directory.write("queries/\(file.name)", marked.text.hasSuffix("\n") ? marked.text : marked.text + "\n")
            expected += marked.markers.map { "\(url.path):\($0.line):\($0.column)" }
        }
        let manifest = Self.unmark(example.manifest ?? "version: 1\nservices: {}\n")
        let manifestFile = try directory.write("ownership.yml", manifest.text)
        expected += manifest.markers.map { "\(manifestFile.path):\($0.line):\($0.column)" }
        let migrations = try MigrationDiscovery.discover(at: directory.url.appendingPathComponent("migrations").path)
        let loaded = try ManifestLoader.load(path: manifestFile.path)
        var settings = RuleSettings(review: example.approvals)
        if let applied = example.applied {
            let added = Set(example.files.filter { applied[$0.name] == nil }.compactMap { paths[$0.name] })
            let modified = Set(example.files.filter { file in applied[file.name].map { $0 != Self.unmark(file.sql).text } ?? false }
                .compactMap { paths[$0.name] })
            settings.history = MigrationHistory(reference: "origin/main", baseCommit: String(repeating: "0", count: 40), added: added,
                                                modified: modified, manifestChanged: false)
        }
        // Rules that are off by default run here: the example documents them.
        let configuration = RuleConfiguration(select: [id])
        let queries = QuerySet.load(for: loaded)
        let analysis = Analyzer.analyze(migrations, manifest: loaded, settings: settings, configuration: configuration, queries: queries)
        let findings = Analyzer.reportForTesting(analysis.findings, migrations: migrations, manifest: loaded, configuration: configuration,
                                                 history: settings.history, queries: queries)
        return Run(findings: findings, expected: expected.sorted())
    }

    @Test("triggering examples are flagged at their markers", arguments: rules)
    func triggering(_ id: String) throws {
        let rule = try #require(RuleRegistry.rule(id: id))
        #expect(rule.descriptor.triggering.count >= 2, "\(id) documents fewer than two triggering examples")
        for example in rule.descriptor.triggering {
            let run = try analyze(example, id: id)
            let flagged = run.findings.filter { $0.ruleID == id && $0.allowedBy == nil }.compactMap(\.location)
                .map { "\($0.path):\($0.line):\($0.column)" }.sorted()
            #expect(!run.expected.isEmpty, "a triggering example of \(id) marks no position with ↓")
            #expect(flagged == run.expected, "\(id) on:\n\(example.files.map(\.sql).joined(separator: "\n--\n"))")
        }
    }

    @Test("non-triggering examples are silent", arguments: rules)
    func nonTriggering(_ id: String) throws {
        let rule = try #require(RuleRegistry.rule(id: id))
        #expect(rule.descriptor.nonTriggering.count >= 2, "\(id) documents fewer than two non-triggering examples")
        for example in rule.descriptor.nonTriggering {
            let findings = try analyze(example, id: id).findings.filter { $0.ruleID == id && $0.allowedBy == nil }
            #expect(findings.isEmpty, "\(id) flagged a non-triggering example: \(findings.map(\.message))")
        }
    }

    @Test("a steward:ignore comment silences the rule", arguments: rules)
    func suppression(_ id: String) throws {
        let rule = try #require(RuleRegistry.rule(id: id))
        for example in rule.descriptor.triggering {
            // The comment goes on the line above every marked line: `--` in SQL, `#` in the manifest.
            var suppressed = example
            suppressed.files = example.files.map { file in
                file.name == "atlas.sum" ? file : ExampleFile(file.name, Self.suppressing(file.sql, id: id, comment: "--"))
            }
            suppressed.queries = example.queries.map { ExampleFile($0.name, Self.suppressing($0.sql, id: id, comment: "--")) }
            suppressed.manifest = example.manifest.map { Self.suppressing($0, id: id, comment: "#") }
            if let applied = example.applied {
                // Files that existed at the base keep the comment there too, so that only the example's own change counts.
                suppressed.applied = applied.mapValues { Self.unmark(Self.suppressing($0, id: id, comment: "--")).text }
            }
            let findings = try analyze(suppressed, id: id).findings
            #expect(findings.filter { $0.ruleID == id && $0.allowedBy == nil }.isEmpty, "steward:ignore did not silence \(id)")
            #expect(!findings.contains { $0.ruleID == "unused-suppression" }, "the suppression of \(id) counts as unused")
            #expect(findings.contains { $0.ruleID == id && $0.allowedBy?.contains("a documented example") == true })
        }
    }

    static func suppressing(_ text: String, id: String, comment: String) -> String {
        let marked = unmark(text)
        let markedLines = Set(marked.markers.map(\.line))
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            guard markedLines.contains(index + 1) else { return String(line) }
            let indentation = line.prefix { $0 == " " }
            return "\(indentation)\(comment) steward:ignore \(id) -- a documented example\n\(line)"
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
            if descriptor.category == .locking { #expect(descriptor.lock != nil || ["concurrently-in-transaction", "missing-lock-timeout", "ban-statement-timeout-off"].contains(descriptor.id), "\(descriptor.id) names no lock") }
        }
    }
}
