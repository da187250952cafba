import Foundation
@testable import StewardCore
import StewardTestSupport
import Testing

/// `steward check` keeps neither the model nor the files' text: each file's text is released
/// once replayed, the indexes once the replay is done, and the model but its change log once
/// the rules that read it have run (`Rule.readsChangeLogOnly`). It must find exactly what a run
/// that keeps everything finds: a rule that says it reads only the change log but reads more
/// would find less here.
struct ReleasedModelTests {

    /// The findings of a run that keeps everything, and of one that releases what `check` releases.
    static func bothRuns(_ directory: String, manifest: String?) throws -> (kept: [Finding], released: Analysis) {
        func options(keep: Bool) -> AnalysisOptions {
            var options = AnalysisOptions(directory: directory, manifestPath: manifest, showAllowed: true, keepModel: keep)
            options.releaseSources = !keep
            return options
        }
        return (try Analyzer.analyze(options(keep: true)).findings, try Analyzer.analyze(options(keep: false)))
    }

    /// What differs between two runs' findings, readably (at most ten lines); empty when they are equal.
    static func differences(_ kept: [Finding], _ released: [Finding]) -> [String] {
        guard kept != released else { return [] }
        func described(_ finding: Finding) -> String {
            let place = finding.location.map { "\($0.path):\($0.line):\($0.column)" } ?? "-"
            return "\(place) \(finding.ruleID) \(finding.severity) \(finding.isAllowed ? "allowed " : "")\(finding.services) \(finding.message)"
        }
        let left = Set(kept.map(described)), right = Set(released.map(described))
        let lines = left.subtracting(right).map { "only when kept: \($0)" } + right.subtracting(left).map { "only when released: \($0)" }
        return lines.isEmpty ? ["the same findings but in another order, or differing in objects or help"] : Array(lines.sorted().prefix(10))
    }

    @Test(arguments: ["specvital", "harbor", "hatchet", "kestra", "trigger-dev"])
    func realCorpus(_ name: String) throws {
        let corpus = SharedFiles.root.appendingPathComponent("corpus/\(name)")
        try #require(FileManager.default.fileExists(atPath: corpus.path), "missing \(corpus.path)")
        let manifest = corpus.appendingPathComponent("ownership.yml").path
        let (kept, released) = try Self.bothRuns(corpus.appendingPathComponent("migrations").path,
                                                 manifest: FileManager.default.fileExists(atPath: manifest) ? manifest : nil)
        #expect(!kept.isEmpty)
        #expect(Self.differences(kept, released.findings) == [])
        #expect(released.migrations.files.allSatisfy { $0.source.bytes.isEmpty }, "every file's text was released")
    }

    /// A partition has its parent's owner, also for the rules that run on the change log alone.
    @Test func aPartitionKeepsItsParentsOwner() throws {
        let directory = try TemporaryDirectory()
        try directory.write("1_init.up.sql", """
            CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

            """)
        try directory.write("2_change.up.sql", "CREATE INDEX events_2024_at ON events_2024 (at);\nALTER TABLE events_2024 RENAME TO events_y2024;\n")
        try directory.write("ownership.yml", "version: 1\nservices:\n  analytics: {owners: [\"@analytics\"], tables: [events]}\n")
        let (kept, released) = try Self.bothRuns(directory.path, manifest: directory.path + "/ownership.yml")
        #expect(Self.differences(kept, released.findings) == [])
        let index = try #require(released.findings.first { $0.ruleID == "create-index-without-concurrently" })
        #expect(index.services == ["analytics"])
        #expect(released.findings.first { $0.ruleID == "rename-table" }?.services == ["analytics"])
    }

    /// Many windows of files (partitions, renames, grants, functions, data statements, cross-service
    /// foreign keys, a suppression comment in a file released half-way through the replay).
    @Test func generatedCorpus() throws {
        let directory = try TemporaryDirectory()
        try SharedFiles.generateCorpus(statements: 6_000, files: 200, into: directory.url)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".up.sql") }.sorted()
        try #require(files.count > 2 * Analyzer.parseWindow, "several parse windows")
        // A suppression above a finding in a file in the middle: it must still apply once that
        // file's text is gone.
        let middle = files[files.count / 2]
        let target = try #require(try Self.bothRuns(directory.path, manifest: directory.path + "/ownership.yml").kept.first {
            $0.location?.path.hasSuffix("/" + middle) == true && !$0.isAllowed
        })
        var lines = try String(contentsOfFile: directory.path + "/" + middle, encoding: .utf8).components(separatedBy: "\n")
        lines.insert("-- steward:ignore \(target.ruleID) -- reviewed", at: target.location!.line - 1)
        try directory.write(middle, lines.joined(separator: "\n"))

        let (kept, released) = try Self.bothRuns(directory.path, manifest: directory.path + "/ownership.yml")
        #expect(kept.count > 1000)
        #expect(Set(kept.map(\.ruleID)).count > 15, "most rules find something")
        #expect(kept.contains { $0.isAllowed && $0.ruleID == target.ruleID && $0.location?.path.hasSuffix("/" + middle) == true })
        #expect(Self.differences(kept, released.findings) == [])
        #expect(released.migrations.files.allSatisfy { $0.source.bytes.isEmpty })
        #expect(released.model.tables.isEmpty && released.model.statementCount > 5000, "the model was released, its count kept")
    }
}
