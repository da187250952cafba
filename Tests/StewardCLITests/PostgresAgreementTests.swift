import Foundation
import StewardCore
import Testing

/// Applies migration sets to a real PostgreSQL 15 and checks that `steward model --format json`
/// agrees exactly with the catalog: tables, columns (order, `format_type`, nullability),
/// foreign keys (name, columns, referenced table and columns), and every fact of
/// `CatalogFacts` (defaults, generated columns, checks, keys, indexes, views and their
/// dependencies and queries, enums, domains, composite types, sequences, comments).
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct PostgresAgreementTests {
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

    @Test("the model agrees with Postgres", arguments: sets)
    func modelAgreesWithPostgres(_ relativePath: String) throws {
        let directory = Paths.packageRoot.appendingPathComponent(relativePath).standardizedFileURL
        try #require(FileManager.default.fileExists(atPath: directory.path), "missing migration set \(directory.path)")
        try expectAgreement(directory: directory)
    }

    /// The benchmark generator's realistic mixed DDL: 20,000 statements in 400 files.
    @Test("the model agrees with Postgres on a generated 20k-statement corpus")
    func generatedCorpusAgrees() throws {
        let generator = Paths.shared.appendingPathComponent("bench/gen_corpus.py")
        try #require(FileManager.default.fileExists(atPath: generator.path), "missing \(generator.path)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("steward-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let generated = try run("/usr/bin/env", ["python3", generator.path, "--statements", "20000", "--files", "400", "--out", output.path])
        try #require(generated.status == 0, "gen_corpus.py failed: \(generated.stderr)")
        try expectAgreement(directory: output)
        // The same run also checks cleanly end to end with its own manifest.
        let check = try steward(["check", output.path, "--manifest", output.appendingPathComponent("ownership.yml").path])
        // The generator plants undocumented cross-service foreign keys: errors, hence exit 1.
        #expect(check.status == 1, "steward check: \(check.stderr)")
        #expect(check.stdout.contains("400 migrations (golang-migrate), 20000 statements"))
    }

    /// hatchet (goose) applies only up to its Go migration v1_0_99 (not in the corpus, see its
    /// SOURCE.md): the SQL files before it are compared.
    @Test func hatchetAgreesUpToItsFirstMissingGoMigration() throws {
        let source = Paths.shared.appendingPathComponent("corpus/hatchet/migrations")
        try #require(FileManager.default.fileExists(atPath: source.path), "missing \(source.path)")
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("steward-hatchet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: prefix) }
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".sql") && $0 < "20260424190713" }
        try #require(names.count == 181)
        for name in names {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: prefix.appendingPathComponent(name))
        }
        // Its migrations call PL/pgSQL functions that create today's and tomorrow's partitions
        // (`create_v1_range_partition('v1_dag', NOW()::date)`): the model does not run functions.
        try expectAgreement(directory: prefix, excluding: { name in
            name.split(separator: "_").contains { $0.count == 8 && $0.allSatisfy(\.isNumber) && $0.hasPrefix("20") }
        })
    }

    /// The comparison is only worth something if it can fail: a model whose expression lost
    /// its parentheses (`(1 + 2) * 3` printed as `1 + 2 * 3`) must disagree with PostgreSQL.
    @Test func theComparisonCatchesAnExpressionWithoutItsParentheses() throws {
        let database = try TestDatabase.require()
        let directory = Paths.fixtures.appendingPathComponent("diesel/migrations")
        let set = try MigrationDiscovery.discover(at: directory.path)
        let name = try database.createDatabase("steward")
        defer { database.dropDatabase(name) }
        try #require(try database.apply(set, to: name).isEmpty)
        let model = try steward(["model", directory.path, "--format", "json"])
        try #require(model.stdout.contains("\"default_expression\" : \"(1 + 2) * 3\""))
        let catalog = try CatalogFacts.fromCatalog(database, name)
        let faithful = try CatalogFacts.fromModel(model.stdout, database, name)
        #expect(CatalogFacts.differences(model: faithful, database: catalog).isEmpty)
        let broken = model.stdout.replacingOccurrences(of: "\"(1 + 2) * 3\"", with: "\"1 + 2 * 3\"")
            .replacingOccurrences(of: "\"((score + 1) * 2) > 0\"", with: "\"score + 1 * 2 > 0\"")
        let differences = CatalogFacts.differences(model: try CatalogFacts.fromModel(broken, database, name), database: catalog)
        #expect(differences.contains("only in model:    default public.users.score = (1 + (2 * 3))"), "\(differences)")
        #expect(differences.contains { $0.hasPrefix("only in model:    check public.users users_score_check") }, "\(differences)")
    }

    /// `excluding` names tables (by name, without schema) that the model cannot know about.
    private func expectAgreement(directory: URL, excluding: (String) -> Bool = { _ in false }) throws {
        let database = try TestDatabase.require()
        let set = try MigrationDiscovery.discover(at: directory.path)
        let name = try database.createDatabase("steward")
        defer { database.dropDatabase(name) }
        let failures = try database.apply(set, to: name)
        try #require(failures.isEmpty, "Postgres rejected migrations of \(directory.path):\n\(failures.joined(separator: "\n"))")

        let model = try steward(["model", directory.path, "--format", "json"])
        try #require(model.status == 0, "steward model failed: \(model.stderr)")
        let (modelTables, _) = try catalogFromModelJSON(model.stdout)
        let catalog = try database.catalog(name).filter { !excluding(String($0.key.split(separator: ".").last ?? "")) }
        let diff = differences(model: modelTables, database: catalog)
        #expect(diff.isEmpty, "model and Postgres differ for \(directory.lastPathComponent) (\(diff.count) tables):\n\(diff.prefix(15).joined(separator: "\n"))")
        #expect(!catalog.isEmpty)
        let excludedTables = try database.catalog(name).keys.filter { excluding(String($0.split(separator: ".").last ?? "")) }
        let facts = CatalogFacts.differences(model: try CatalogFacts.fromModel(model.stdout, database, name),
                                             database: try CatalogFacts.fromCatalog(database, name))
            .filter { fact in !excludedTables.contains { fact.contains(" \($0) ") || fact.contains(" \($0).") } }
        #expect(facts.isEmpty, "model and Postgres differ for \(directory.path) (\(facts.count) facts; not compared: \(CatalogFacts.notCompared.joined(separator: "; "))):\n\(facts.prefix(40).joined(separator: "\n"))")
    }
}
