import Foundation
import StewardCore
import StewardTestSupport
import Testing

/// `steward verify` on every migration set: PostgreSQL applies it as its tool would and its
/// catalog must agree exactly with Steward's model (tables, columns, keys, foreign keys,
/// defaults, checks, indexes, views and their queries, types, sequences, triggers, comments,
/// privileges; `SchemaFacts.notCompared` lists the rest). A disagreement is a model bug.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct VerifyCommandTests {
    static let sets: [String] = [
        "schema",
        "Tests/Fixtures/replay-edge-cases/migrations",
        "Tests/Fixtures/goose-sections/migrations",
        "Tests/Fixtures/dbmate-sections/migrations",
        "Tests/Fixtures/diesel/migrations",
        "Tests/Fixtures/sqitch",
        "../shared/corpus/specvital/migrations",
        "../shared/corpus/kestra/migrations",
        "../shared/corpus/harbor/migrations",
        "../shared/corpus/trigger-dev/migrations",
    ]

    @Test("the model agrees with PostgreSQL", arguments: sets)
    func modelAgreesWithPostgres(_ relativePath: String) throws {
        let directory = Paths.packageRoot.appendingPathComponent(relativePath).standardizedFileURL
        try #require(FileManager.default.fileExists(atPath: directory.path), "missing migration set \(directory.path)")
        let report = try verify(directory.path)
        #expect(report.differences.isEmpty, "model and PostgreSQL differ for \(relativePath):\n\(report.differences.prefix(30).joined(separator: "\n"))")
        #expect(report.comparedFacts > 10)
    }

    /// The benchmark generator's realistic mixed DDL, 20,000 statements. Its golang-migrate files
    /// mix CREATE INDEX CONCURRENTLY with other statements, which golang-migrate itself cannot
    /// apply (one implicit transaction per file): verify says so. Its up files as plain psql
    /// files (one statement at a time) apply, and then agree.
    @Test("the model agrees with PostgreSQL on a generated 20k-statement corpus")
    func generatedCorpusAgrees() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("steward-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try SharedFiles.generateCorpus(statements: 20_000, files: 400, into: output)

        let asTool = try steward(["verify", output.path, "--scratch-db", try TestDatabase.require().url(), "--no-manifest"])
        #expect(asTool.status == 1)
        // At the CREATE INDEX CONCURRENTLY itself (PostgreSQL gives no position; Steward finds the statement).
        let rejection = try #require(asTool.stdout.split(separator: "\n").first { $0.contains("PostgreSQL rejected") }, "\(asTool.stdout)")
        #expect(rejection.contains("000001_create_identity.up.sql:") && rejection.hasSuffix(
            "PostgreSQL rejected the migration (SQLSTATE 25001): CREATE INDEX CONCURRENTLY cannot run inside a transaction block"))
        let position = rejection.split(separator: ":").dropFirst().prefix(1).compactMap { Int($0) }.first ?? 0
        let file = try String(contentsOf: output.appendingPathComponent("000001_create_identity.up.sql"), encoding: .utf8)
        #expect(file.split(separator: "\n", omittingEmptySubsequences: false)[position - 1].hasPrefix("CREATE INDEX CONCURRENTLY"))

        let plain = output.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: output.path) where name.hasSuffix(".up.sql") {
            try FileManager.default.copyItem(at: output.appendingPathComponent(name), to: plain.appendingPathComponent(name.replacingOccurrences(of: ".up.sql", with: ".sql")))
        }
        let report = try verify(plain.path, extra: ["--layout", "plain"])
        #expect(report.differences.isEmpty, "\(report.differences.prefix(30).joined(separator: "\n"))")
        #expect(report.comparedFacts > 5000)
    }

    /// hatchet (goose) applies only up to its Go migration v1_0_99 (not in the corpus, see its
    /// SOURCE.md); verify reports that migration's successor as rejected. The SQL files before it
    /// agree, except the partitions its PL/pgSQL functions create for today's date
    /// (`create_v1_range_partition('v1_dag', NOW()::date)`): the model does not run functions.
    @Test func hatchetAgreesUpToItsFirstMissingGoMigration() throws {
        let source = Paths.shared.appendingPathComponent("corpus/hatchet/migrations")
        try #require(FileManager.default.fileExists(atPath: source.path), "missing \(source.path)")
        let whole = try steward(["verify", source.path, "--scratch-db", try TestDatabase.require().url(), "--no-manifest"])
        #expect(whole.status == 1)
        #expect(whole.stdout.contains("20260424205453_v1_0_100.sql:4:1: PostgreSQL rejected the migration (SQLSTATE 42P01): relation \"v1_dags_olap_new\" does not exist"), "\(whole.stdout)")

        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("steward-hatchet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: prefix) }
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".sql") && $0 < "20260424190713" }
        try #require(names.count == 181)
        for name in names {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: prefix.appendingPathComponent(name))
        }
        let report = try verify(prefix.path)
        // One line per partitioned table: "PostgreSQL only: partitions public.v1_task: 1 no migration creates (made at run time?): v1_task_20261205".
        let datedPartitions = { (line: String) -> Bool in
            guard line.hasPrefix("PostgreSQL only: partitions "), let names = line.split(separator: "?): ").last else { return false }
            return names.split(separator: ", ").allSatisfy { name in
                name == "…" || name.split(separator: "_").contains { $0.count == 8 && $0.allSatisfy(\.isNumber) && $0.hasPrefix("20") }
            }
        }
        #expect(!report.differences.isEmpty)
        #expect(report.differences.allSatisfy(datedPartitions), "\(report.differences.filter { !datedPartitions($0) }.prefix(30).joined(separator: "\n"))")
    }

    @Test func ephemeralServer() throws {
        let result = try steward(["verify", Paths.fixtures.appendingPathComponent("dbmate-sections/migrations").path, "--ephemeral", "--no-manifest"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("3 migrations applied by PostgreSQL"))
        #expect(result.stdout.contains("0 disagreements"))
        // Nothing left behind: the server's directory is removed.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("steward-ephemeral-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func scratchDatabasesAreDropped() throws {
        let database = try TestDatabase.require()
        _ = try verify(Paths.fixtures.appendingPathComponent("diesel/migrations").path)
        #expect(try countScratchDatabases(database) == 0)
    }

    /// Ctrl-C while the migrations are being applied: the scratch database is dropped, exit 130.
    @Test func anInterruptedRunDropsItsDatabase() throws {
        let database = try TestDatabase.require()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.steward)
        process.arguments = ["verify", Paths.shared.appendingPathComponent("corpus/trigger-dev/migrations").path,
                             "--scratch-db", database.url(), "--no-manifest"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Interrupt once the scratch database exists (the 820 migrations take over a second).
        var created = false
        for _ in 0..<100 where !created {
            Thread.sleep(forTimeInterval: 0.05)
            created = try countScratchDatabases(database) > 0
        }
        try #require(created, "steward verify never created its scratch database")
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(try countScratchDatabases(database) == 0)
    }

    private func countScratchDatabases(_ database: TestDatabase) throws -> Int {
        let result = try database.psql("postgres", ["-At", "-c", "SELECT count(*) FROM pg_database WHERE datname LIKE 'steward\\_verify\\_%'"])
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func usageErrors() throws {
        let neither = try steward(["verify", "schema"], in: Paths.packageRoot)
        #expect(neither.status == 2)
        #expect(neither.stderr.contains("pass either --scratch-db URL or --ephemeral"))
        let unreachable = try steward(["verify", "schema", "--scratch-db", "postgresql://u:topsecret@127.0.0.1:1/x"], in: Paths.packageRoot)
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("Connection refused"))
        #expect(!unreachable.stderr.contains("topsecret"))
    }

    struct Report {
        var differences: [String]
        var comparedFacts: Int
    }

    /// Runs verify with JSON output; differences as "<side> only: <kind> <object>" or "differs: …".
    private func verify(_ directory: String, extra: [String] = []) throws -> Report {
        let result = try steward(["verify", directory, "--scratch-db", try TestDatabase.require().url(), "--no-manifest", "--format", "json"] + extra)
        try #require(result.status == 0 || result.status == 1, "steward verify failed (\(result.status)): \(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let script = "import json, sys, jsonschema; jsonschema.validate(json.loads(sys.stdin.read()), json.load(open(sys.argv[1])))"
        let schema = try run("/usr/bin/env", ["python3", "-c", script, "docs/live-comparison.schema.json"], in: Paths.packageRoot, stdin: result.stdout)
        #expect(schema.status == 0, "\(schema.stderr)")
        if let failure = document["failure"] as? [String: Any] {
            Issue.record("PostgreSQL rejected a migration of \(directory): \(failure)")
        }
        let differences = (document["differences"] as? [[String: Any]] ?? []).map { entry -> String in
            let kind = entry["kind"] as? String ?? "", what = "\(entry["object_kind"] as? String ?? "") \(entry["object"] as? String ?? "")"
            switch kind {
            case "missing": return "model only: \(what): \(entry["expected"] as? String ?? "")"
            case "extra": return "PostgreSQL only: \(what): \(entry["actual"] as? String ?? "")"
            default: return "differs: \(what): model \(entry["expected"] as? String ?? "") / PostgreSQL \(entry["actual"] as? String ?? "")"
            }
        }
        return Report(differences: differences, comparedFacts: document["compared_facts"] as? Int ?? 0)
    }
}
