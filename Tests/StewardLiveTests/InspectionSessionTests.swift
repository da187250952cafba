import Foundation
import StewardCore
import StewardSQL
import StewardLive
import Testing

/// The inspection path cannot write: every statement runs in a READ ONLY transaction, and the
/// session default is read-only outside it too.
@Suite(.serialized, .enabled(if: LiveTestServer.isAvailable, "needs PostgreSQL: run scripts/test"))
struct InspectionSessionTests {
    @Test func writesThroughTheInspectionPathFail() throws {
        let scratch = try ScratchDatabase(on: try LiveTestServer.target(), prefix: "steward_readonly")
        defer { scratch.drop() }
        try scratch.connection.query("CREATE TABLE kept (id int)")
        let inspected = try PostgresConnection(scratch.server, database: scratch.name)
        let session = try InspectionSession(inspected)
        for statement in ["CREATE TABLE added (id int)", "INSERT INTO kept VALUES (1)", "DROP TABLE kept", "CREATE TEMPORARY TABLE t (id int)",
                          "COMMENT ON TABLE kept IS 'x'", "GRANT SELECT ON kept TO PUBLIC", "TRUNCATE kept"] {
            let error = try #require(throws: LiveError.self) {
                try session.read { connection throws(LiveError) in try connection.query(statement) }
            }
            #expect(error.sqlState == "25006", "\(statement): \(error.message)")
        }
        // Outside `read` the session default is read-only as well.
        let outside = try #require(throws: LiveError.self) { try inspected.query("INSERT INTO kept VALUES (1)") }
        #expect(outside.sqlState == "25006")
        let rows = try scratch.connection.query("SELECT count(*) FROM kept").rows
        #expect(rows == [["0"]])
    }

    @Test func aSlowStatementIsCancelledByTheTimeout() throws {
        let session = try InspectionSession(try PostgresConnection(try LiveTestServer.target()), statementTimeoutMilliseconds: 200)
        let error = try #require(throws: LiveError.self) {
            try session.read { connection throws(LiveError) in try connection.query("SELECT pg_sleep(5)") }
        }
        #expect(error.sqlState == "57014")
        #expect(error.message.contains("statement timeout"))
    }

    @Test func parametersAreBoundNotSpliced() throws {
        let connection = try PostgresConnection(try LiveTestServer.target())
        let hostile = "'); DROP TABLE x; --"
        #expect(try connection.query("SELECT $1::text, $2::text IS NULL", [hostile, nil]).rows == [[hostile, "t"]])
    }
}

/// The comparison can fail: an expression that lost its parentheses disagrees with PostgreSQL.
@Suite(.serialized, .enabled(if: LiveTestServer.isAvailable, "needs PostgreSQL: run scripts/test"))
struct VerificationTests {
    @Test func anExpressionWithoutItsParenthesesDisagrees() throws {
        let directory = LiveTestServer.packageRoot.appendingPathComponent("Tests/Fixtures/diesel/migrations").path
        var analysis = try Analyzer.analyze(AnalysisOptions(directory: directory, manifestPath: nil))
        let users = ObjectName(schema: "public", name: "users")
        let faithful = try verify(analysis)
        #expect(faithful.drifts.isEmpty, "\(faithful.drifts)")
        #expect(faithful.comparedFacts > 20)

        let score = try #require(analysis.model.tables[users]?.columns.firstIndex { $0.name == "score" })
        #expect(analysis.model.tables[users]?.columns[score].defaultExpression == "(1 + 2) * 3")
        analysis.model.tables[users]?.columns[score].defaultExpression = "1 + 2 * 3"
        let broken = try verify(analysis)
        #expect(broken.drifts.map { "\($0.kind) \($0.factKind.rawValue) \($0.object)" } == ["differs default public.users.score"])
        #expect(broken.drifts.first?.actual == "((1 + 2) * 3)")
    }

    /// A migration PostgreSQL rejects is reported at the statement, with PostgreSQL's message.
    @Test func aRejectedMigrationIsReportedWhereItFails() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "CREATE TABLE a (id int);\n".write(toFile: directory + "/001_a.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE b (id int);\nALTER TABLE missing ADD COLUMN x int;\n".write(toFile: directory + "/002_b.sql", atomically: true, encoding: .utf8)
        let analysis = try Analyzer.analyze(AnalysisOptions(directory: directory, manifestPath: nil))
        let result = try verify(analysis)
        let failure = try #require(result.failure)
        // No position from PostgreSQL for a missing relation in ALTER TABLE: the statement's start.
        #expect(failure.location.path.hasSuffix("002_b.sql") && failure.location.line == 2 && failure.location.column == 1, "\(failure)")
        #expect(failure.sqlState == "42P01")
        #expect(result.appliedFiles == 1)
    }

    /// golang-migrate sends the file whole: PostgreSQL's position counts from the file's start,
    /// and an error without one is found by replaying the statements in a rolled-back transaction.
    @Test func aFileSentWholeIsReportedAtTheFailingStatement() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "CREATE TABLE a (id int);\n\nSELECT nope FROM a;\n".write(toFile: directory + "/001_a.up.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE b (id int);\n  ALTER TABLE gone ADD x int;\n".write(toFile: directory + "/002_b.up.sql", atomically: true, encoding: .utf8)
        var result = try verify(try Analyzer.analyze(AnalysisOptions(directory: directory, manifestPath: nil)))
        var failure = try #require(result.failure)
        #expect(failure.location.path.hasSuffix("001_a.up.sql") && failure.location.line == 3 && failure.location.column == 8, "\(failure)")
        try "CREATE TABLE a (id int);\n".write(toFile: directory + "/001_a.up.sql", atomically: true, encoding: .utf8)
        result = try verify(try Analyzer.analyze(AnalysisOptions(directory: directory, manifestPath: nil)))
        failure = try #require(result.failure)
        #expect(failure.location.path.hasSuffix("002_b.up.sql") && failure.location.line == 2 && failure.location.column == 3, "\(failure)")
        #expect(result.appliedFiles == 1)
    }

    /// Function results as PostgreSQL prints them: RETURNS TABLE, SETOF, OUT parameters, and
    /// types without their modifiers.
    @Test func functionSignaturesAndResultsAgree() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            CREATE TABLE items (id bigint PRIMARY KEY, name varchar(40));
            CREATE FUNCTION by_name(prefix varchar(10)) RETURNS TABLE(id bigint, "name" varchar(40)) LANGUAGE sql STABLE
              AS $$ SELECT id, name FROM items WHERE name LIKE prefix || '%' $$;
            CREATE FUNCTION all_items() RETURNS SETOF items LANGUAGE sql AS $$ SELECT * FROM items $$;
            CREATE FUNCTION bounds(OUT low bigint, OUT high bigint) LANGUAGE sql AS $$ SELECT min(id), max(id) FROM items $$;
            CREATE FUNCTION one_out(IN x integer, OUT doubled integer) LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
            CREATE FUNCTION label(numeric(10, 2)) RETURNS varchar(20) LANGUAGE sql AS $$ SELECT $1::text $$;
            CREATE PROCEDURE touch(inout n integer) LANGUAGE plpgsql AS $$ BEGIN n := n + 1; END $$;
            """.write(toFile: directory + "/001_functions.sql", atomically: true, encoding: .utf8)
        let analysis = try Analyzer.analyze(AnalysisOptions(directory: directory, manifestPath: nil))
        let result = try verify(analysis)
        #expect(result.failure == nil, "\(String(describing: result.failure))")
        #expect(result.drifts.isEmpty, "\(result.drifts.map { "\($0.object): \($0.expected ?? "-") / \($0.actual ?? "-")" })")
        let results = analysis.model.functions.values.map { "\($0.name.name) \($0.returnType ?? "-")" }.sorted()
        #expect(results == ["all_items SETOF items", "bounds record", "by_name TABLE(id bigint, name character varying)",
                            "label character varying", "one_out integer", "touch -"])
    }

    private func verify(_ analysis: Analysis) throws -> LiveComparison {
        let scratch = try ScratchDatabase(on: try LiveTestServer.target())
        defer { scratch.drop() }
        return try Verification.run(analysis, in: scratch)
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steward-live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
