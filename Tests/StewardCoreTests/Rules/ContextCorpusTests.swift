import Foundation
import StewardCore
import Testing

/// The context corpus: operations a context-free linter flags on every table. On a table
/// created earlier in the same migration, or in a migration still pending under `--since`, the
/// table is new and empty, so Steward stays silent; on a table an earlier, applied migration
/// created, the same operation is flagged by its rule.
struct ContextCorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: String
        var setup: String
        var operation: String
        var testDescription: String { "\(rule): \(operation.split(separator: "\n").first ?? "")" }
    }

    static let table = "CREATE TABLE codebases (id integer PRIMARY KEY, owner text, stars int, name varchar(50), note text DEFAULT 'x');"
    static let referenced = table + "\nCREATE TABLE analyses (id bigint PRIMARY KEY, codebase_id integer);"
    static let matview = table + "\nCREATE MATERIALIZED VIEW codebase_stats AS SELECT count(*) AS n FROM codebases;"
    static let indexed = table + "\nCREATE INDEX codebases_owner_idx ON codebases (owner);"

    static let cases: [Case] = [
        Case(rule: "create-index-without-concurrently", setup: table, operation: "CREATE INDEX codebases_stars_idx ON codebases (stars);"),
        Case(rule: "create-index-without-concurrently", setup: table, operation: "CREATE UNIQUE INDEX ON codebases (lower(owner));"),
        Case(rule: "create-index-without-concurrently", setup: table, operation: "CREATE INDEX ON codebases (stars) WHERE stars > 10;"),
        Case(rule: "drop-index-without-concurrently", setup: indexed, operation: "DROP INDEX codebases_owner_idx;"),
        Case(rule: "reindex-without-concurrently", setup: table, operation: "REINDEX TABLE codebases;"),
        Case(rule: "refresh-matview-without-concurrently", setup: matview, operation: "REFRESH MATERIALIZED VIEW codebase_stats;"),
        Case(rule: "add-foreign-key-without-not-valid", setup: referenced,
             operation: "ALTER TABLE analyses ADD CONSTRAINT analyses_codebase_fk FOREIGN KEY (codebase_id) REFERENCES codebases (id);"),
        Case(rule: "add-check-without-not-valid", setup: table, operation: "ALTER TABLE codebases ADD CONSTRAINT stars_positive CHECK (stars >= 0);"),
        Case(rule: "add-unique-constraint", setup: table, operation: "ALTER TABLE codebases ADD CONSTRAINT codebases_owner_key UNIQUE (owner);"),
        Case(rule: "add-unique-constraint", setup: table + "\nCREATE TABLE tags (name text NOT NULL);", operation: "ALTER TABLE tags ADD PRIMARY KEY (name);"),
        Case(rule: "set-not-null-without-validated-check", setup: table, operation: "ALTER TABLE codebases ALTER COLUMN owner SET NOT NULL;"),
        Case(rule: "alter-column-type-rewrite", setup: table, operation: "ALTER TABLE codebases ALTER COLUMN stars TYPE bigint;"),
        Case(rule: "alter-column-type-rewrite", setup: table, operation: "ALTER TABLE codebases ALTER COLUMN name TYPE varchar(20);"),
        Case(rule: "add-column-volatile-default", setup: table, operation: "ALTER TABLE codebases ADD COLUMN token uuid DEFAULT gen_random_uuid();"),
        Case(rule: "add-column-volatile-default", setup: table, operation: "ALTER TABLE codebases ADD COLUMN seq bigserial;"),
        Case(rule: "add-column-volatile-default", setup: table, operation: "ALTER TABLE codebases ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;"),
        Case(rule: "add-stored-generated-column", setup: table,
             operation: "ALTER TABLE codebases ADD COLUMN owner_lower text GENERATED ALWAYS AS (lower(owner)) STORED;"),
        Case(rule: "vacuum-full", setup: table, operation: "VACUUM FULL codebases;"),
        Case(rule: "cluster", setup: table, operation: "CLUSTER codebases USING codebases_pkey;"),
        Case(rule: "truncate", setup: table, operation: "TRUNCATE codebases;"),
        Case(rule: "lock-table", setup: table, operation: "BEGIN;\nLOCK TABLE codebases IN EXCLUSIVE MODE;\nCOMMIT;"),
        Case(rule: "missing-lock-timeout", setup: table, operation: "ALTER TABLE codebases ADD COLUMN extra text;"),
        Case(rule: "drop-table", setup: table, operation: "DROP TABLE codebases;"),
        Case(rule: "drop-column", setup: table, operation: "ALTER TABLE codebases DROP COLUMN note;"),
        Case(rule: "rename-table", setup: table, operation: "ALTER TABLE codebases RENAME TO repositories;"),
        Case(rule: "rename-column", setup: table, operation: "ALTER TABLE codebases RENAME COLUMN owner TO owner_login;"),
        Case(rule: "change-column-type", setup: table, operation: "ALTER TABLE codebases ALTER COLUMN owner TYPE integer USING owner::integer;"),
        Case(rule: "add-not-null-column-without-default", setup: table, operation: "ALTER TABLE codebases ADD COLUMN kind text NOT NULL;"),
        Case(rule: "set-not-null", setup: table, operation: "ALTER TABLE codebases ALTER COLUMN stars SET NOT NULL;"),
        Case(rule: "drop-default", setup: table, operation: "ALTER TABLE codebases ALTER COLUMN note DROP DEFAULT;"),
        Case(rule: "change-primary-key", setup: table, operation: "ALTER TABLE codebases DROP CONSTRAINT codebases_pkey;"),
        Case(rule: "drop-view", setup: matview, operation: "DROP MATERIALIZED VIEW codebase_stats;"),
    ]

    /// Lock and breaking rules: what must stay silent on a new table.
    static func contextual(_ finding: Finding) -> Bool {
        let category = RuleRegistry.category(of: finding.ruleID)
        return category == .locking || category == .breaking
    }

    func findings(_ files: [(String, String)], layout: MigrationLayout? = nil, pending: [String] = []) throws -> [Finding] {
        let directory = try TemporaryDirectory()
        var paths: [String: String] = [:]
        for (name, sql) in files { paths[name] = try directory.write("migrations/\(name)", sql + "\n").path }
        let migrations = try MigrationDiscovery.discover(at: directory.url.appendingPathComponent("migrations").path, layout: layout)
        var settings = RuleSettings()
        if !pending.isEmpty {
            settings.history = MigrationHistory(reference: "main", baseCommit: "0000000", added: Set(pending.compactMap { paths[$0] }),
                                                modified: [], manifestChanged: false)
        }
        return Analyzer.analyze(migrations, manifest: nil, settings: settings).findings
    }

    @Test(arguments: cases)
    func silentOnATableCreatedInTheSameFile(_ example: Case) throws {
        let flagged = try findings([("001_all.sql", example.setup + "\n" + example.operation)]).filter(Self.contextual)
        #expect(flagged.isEmpty, "flagged on a new table: \(flagged.map(\.ruleID))")
    }

    @Test(arguments: cases)
    func silentOnATableCreatedInAPendingFile(_ example: Case) throws {
        let flagged = try findings([("001_setup.sql", example.setup), ("002_change.sql", example.operation)],
                                   pending: ["001_setup.sql", "002_change.sql"]).filter(Self.contextual)
        #expect(flagged.isEmpty, "flagged on a table the same pull request creates: \(flagged.map(\.ruleID))")
    }

    @Test(arguments: cases)
    func flaggedOnAnExistingTable(_ example: Case) throws {
        let all = try findings([("001_setup.sql", example.setup), ("002_change.sql", example.operation)], pending: ["002_change.sql"])
        #expect(all.contains { $0.ruleID == example.rule && $0.location?.path.hasSuffix("002_change.sql") == true },
                "\(example.rule) missed: \(all.map(\.ruleID))")
    }

    @Test func theCorpusHasAtLeastThirtyCases() { #expect(Self.cases.count >= 30) }

    // MARK: CONCURRENTLY and each tool's way out of its transaction

    static let createTable = "CREATE TABLE codebases (id bigint, owner text);"
    static let concurrently = "CREATE INDEX CONCURRENTLY codebases_owner_idx ON codebases (owner);"

    struct LayoutCase: CustomTestStringConvertible, Sendable {
        var name: String
        var layout: MigrationLayout
        var files: [(String, String)]
        var fails: Bool
        var testDescription: String { name }
    }

    static let layoutCases: [LayoutCase] = [
        LayoutCase(name: "golang-migrate: alone in its file", layout: .golangMigrate,
                   files: [("1_init.up.sql", createTable), ("2_index.up.sql", concurrently)], fails: false),
        LayoutCase(name: "golang-migrate: with another statement (one implicit transaction)", layout: .golangMigrate,
                   files: [("1_init.up.sql", createTable), ("2_index.up.sql", "SELECT 1;\n" + concurrently)], fails: true),
        LayoutCase(name: "goose: NO TRANSACTION", layout: .goose,
                   files: [("1_init.sql", "-- +goose Up\n" + createTable), ("2_index.sql", "-- +goose NO TRANSACTION\n-- +goose Up\n" + concurrently)], fails: false),
        LayoutCase(name: "goose: default transaction", layout: .goose,
                   files: [("1_init.sql", "-- +goose Up\n" + createTable), ("2_index.sql", "-- +goose Up\n" + concurrently)], fails: true),
        LayoutCase(name: "dbmate: transaction:false, alone", layout: .dbmate,
                   files: [("1_init.sql", "-- migrate:up\n" + createTable + "\n-- migrate:down\n"),
                           ("2_index.sql", "-- migrate:up transaction:false\n" + concurrently + "\n-- migrate:down\n")], fails: false),
        LayoutCase(name: "dbmate: default transaction", layout: .dbmate,
                   files: [("1_init.sql", "-- migrate:up\n" + createTable + "\n-- migrate:down\n"),
                           ("2_index.sql", "-- migrate:up\n" + concurrently + "\n-- migrate:down\n")], fails: true),
        LayoutCase(name: "atlas: txmode none", layout: .atlas,
                   files: [("20240101_init.sql", createTable), ("20240102_index.sql", "-- atlas:txmode none\n\n" + concurrently)], fails: false),
        LayoutCase(name: "atlas: default per-file transaction", layout: .atlas,
                   files: [("20240101_init.sql", createTable), ("20240102_index.sql", concurrently)], fails: true),
        LayoutCase(name: "flyway: only non-transactional statements in the file", layout: .flyway,
                   files: [("V1__init.sql", createTable), ("V2__index.sql", concurrently)], fails: false),
        LayoutCase(name: "flyway: mixed with a transactional statement", layout: .flyway,
                   files: [("V1__init.sql", createTable), ("V2__index.sql", "ALTER TABLE codebases ADD COLUMN x int;\n" + concurrently)], fails: true),
        LayoutCase(name: "psql: BEGIN around it", layout: .plain,
                   files: [("001_init.sql", createTable), ("002_index.sql", "BEGIN;\n" + concurrently + "\nCOMMIT;")], fails: true),
        LayoutCase(name: "psql: on its own", layout: .plain,
                   files: [("001_init.sql", createTable), ("002_index.sql", concurrently)], fails: false),
    ]

    @Test(arguments: layoutCases)
    func concurrentlyFollowsEachToolsTransactions(_ example: LayoutCase) throws {
        let all = try findings(example.files, layout: example.layout)
        let failing = all.filter { $0.ruleID == "concurrently-in-transaction" }
        #expect(failing.isEmpty != example.fails, "\(example.name): \(failing.map(\.message))")
        #expect(!all.contains { $0.ruleID == "create-index-without-concurrently" })
    }
}
