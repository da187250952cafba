import Foundation
import Testing

/// `steward report` end to end: the example's Markdown pinned, every Mermaid block rendered by a
/// real Mermaid (mermaidx, Mermaid in an embedded JavaScript engine), every corpus set reported.
struct OwnershipReportTests {
    let root = Paths.packageRoot

    /// Renders each ```mermaid block of a Markdown document; prints the number rendered, or
    /// Mermaid's error and exits 1.
    static let renderMermaid = """
        import re, sys, mermaidx
        text = sys.stdin.read()
        blocks = re.findall(r"```mermaid\\n(.*?)```", text, re.S)
        for block in blocks:
            try:
                svg = mermaidx.render(block).svg()
            except Exception as error:
                print("mermaid error:", error, "in:", block)
                sys.exit(1)
            assert "<svg" in svg
        print(len(blocks))
        """

    func renderMermaid(_ markdown: String) throws -> CommandResult {
        try run("/usr/bin/env", ["python3", "-c", Self.renderMermaid], stdin: markdown)
    }

    @Test func theExampleReportIsPinnedAndItsGraphRenders() throws {
        let result = try steward(["report"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        try assertSnapshot(result.stdout, named: Paths.fixtures.appendingPathComponent("snapshots/report-example.md"))
        let rendered = try renderMermaid(result.stdout)
        #expect(rendered.status == 0 && rendered.stdout == "1\n", "\(rendered.stdout) \(rendered.stderr)")
    }

    /// The renderer is a real check: a broken flowchart fails it.
    @Test func aMermaidSyntaxErrorIsCaught() throws {
        let rendered = try renderMermaid("```mermaid\nflowchart LR\n  s0[\"a\"] -->|\"x\"| s1[\"b\n```\n")
        #expect(rendered.status == 1, "\(rendered.stdout) \(rendered.stderr)")
        #expect(rendered.stdout.contains("mermaid error"))
    }

    @Test func specvitalsReportShowsItsTwoUndocumentedForeignKeys() throws {
        let corpus = Paths.shared.appendingPathComponent("corpus/specvital")
        let result = try steward(["report", corpus.appendingPathComponent("migrations").path, "--manifest",
                                  corpus.appendingPathComponent("ownership.yml").path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let report = try #require(document["report"] as? [String: Any])
        let dependencies = try #require(report["dependencies"] as? [[String: Any]])
        let foreignKeys = dependencies.filter { $0["kind"] as? String == "foreign key" }.compactMap { $0["object"] as? String }.sorted()
        #expect(foreignKeys == ["user_analysis_history.fk_user_analysis_history_analysis", "user_bookmarks.fk_user_bookmarks_codebase"], "\(foreignKeys)")
        let markdown = try steward(["report", corpus.appendingPathComponent("migrations").path, "--manifest",
                                    corpus.appendingPathComponent("ownership.yml").path])
        #expect(try renderMermaid(markdown.stdout).status == 0)
    }

    /// Every real migration set: a manifest is generated (two services splitting the tables by
    /// their first letter) where the set has none; the report completes and its graph renders.
    @Test("the report completes on every corpus set", arguments: ["harbor", "hatchet", "kestra", "trigger-dev", "specvital", "pg-regress"])
    func everyCorpusSet(_ name: String) throws {
        let corpus = Paths.shared.appendingPathComponent("corpus/\(name)")
        let migrations = corpus.appendingPathComponent(name == "pg-regress" ? "sql" : "migrations")
        var manifest = corpus.appendingPathComponent("ownership.yml")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("steward-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        if !FileManager.default.fileExists(atPath: manifest.path) {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let first = "abcdefghijklm".map { "\"\($0)*\"" }.joined(separator: ", "), second = "nopqrstuvwxyz_".map { "\"\($0)*\"" }.joined(separator: ", ")
            manifest = scratch.appendingPathComponent("ownership.yml")
            try Data("version: 1\nservices:\n  first: {owners: [\"@org/first\"], tables: [\(first)]}\n  second: {owners: [\"@org/second\"], tables: [\(second)]}\n".utf8)
                .write(to: manifest)
        }
        let result = try steward(["report", migrations.path, "--manifest", manifest.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# Ownership report: "))
        #expect(result.stdout.contains("## Decomposition readiness"))
        let rendered = try renderMermaid(result.stdout)
        #expect(rendered.status == 0, "\(rendered.stdout) \(rendered.stderr)")
    }

    @Test func aReportWithoutAManifestIsAnInputError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-nomanifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("CREATE TABLE t (id int);\n".utf8).write(to: directory.appendingPathComponent("001_t.sql"))
        let result = try steward(["report", directory.path], in: directory)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no ownership.yml found"))
    }
}

extension OwnershipReportTests {
    /// The README shows the example's report: the same text as the pinned snapshot.
    @Test func theReadmeShowsTheExamplesReport() throws {
        let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- report-example:start -->\n"))
        let end = try #require(readme.range(of: "<!-- report-example:end -->"))
        let snapshot = try String(contentsOf: Paths.fixtures.appendingPathComponent("snapshots/report-example.md"), encoding: .utf8)
        #expect(String(readme[start.upperBound..<end.lowerBound]) == snapshot, "README's copy of the report differs from report-example.md")
    }
}
