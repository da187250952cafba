import Foundation
import StewardCore
import Testing

/// The facts the lock rules rest on, checked against a real PostgreSQL 15: which column type
/// changes rewrite the table (its relfilenode changes), and which functions are volatile.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct PostgresLockFactsTests {
    /// Pairs of column types Postgres converts without USING (an assignment cast exists).
    static let typeChanges: [(String, String)] = [
        ("varchar(10)", "varchar(20)"), ("varchar(20)", "varchar(10)"), ("varchar(10)", "varchar"), ("varchar(10)", "text"),
        ("varchar", "text"), ("text", "varchar"), ("text", "varchar(10)"),
        ("numeric(10,2)", "numeric(12,2)"), ("numeric(10,2)", "numeric(12,3)"), ("numeric(10,2)", "numeric(8,2)"), ("numeric(10,2)", "numeric"),
        ("numeric", "numeric(10,2)"), ("integer", "bigint"), ("smallint", "integer"), ("bigint", "integer"), ("integer", "numeric"),
        ("real", "double precision"), ("timestamp(3)", "timestamp(6)"), ("timestamp", "timestamp(3)"), ("timestamp(3)", "timestamp"),
        ("timestamptz(3)", "timestamptz"), ("timestamp", "timestamptz"), ("time(2)", "time(4)"), ("interval(3)", "interval"),
        ("bit varying(5)", "bit varying(10)"), ("bit varying(10)", "bit varying(5)"), ("cidr", "inet"), ("char(5)", "char(10)"),
        ("char(5)", "text"), ("json", "text"), ("varchar(10)", "char(10)"),
    ]

    @Test func columnTypeChangesRewriteExactlyWhenPostgresDoes() throws {
        let database = try TestDatabase.require()
        let name = try database.createDatabase("steward_rewrite")
        defer { database.dropDatabase(name) }
        var disagreements: [String] = []
        for (index, pair) in Self.typeChanges.enumerated() {
            // A session time zone other than UTC: migrations cannot count on UTC, where
            // timestamp → timestamptz would be free.
            let script = """
                SET TimeZone = 'America/New_York';
                CREATE TABLE t\(index) (c \(pair.0));
                INSERT INTO t\(index) VALUES (NULL);
                SELECT format_type(atttypid, atttypmod) || '|' || pg_relation_filenode('t\(index)') FROM pg_attribute WHERE attrelid = 't\(index)'::regclass AND attname = 'c';
                ALTER TABLE t\(index) ALTER COLUMN c TYPE \(pair.1);
                SELECT format_type(atttypid, atttypmod) || '|' || pg_relation_filenode('t\(index)') FROM pg_attribute WHERE attrelid = 't\(index)'::regclass AND attname = 'c';
                """
            let result = try database.psql(name, ["-At", "-c", script])
            try #require(result.status == 0, "\(pair): \(result.stderr)")
            let rows = result.stdout.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
            try #require(rows.count == 2 && rows.allSatisfy { $0.count == 2 }, "\(pair): \(result.stdout)")
            let rewritten = rows[0][1] != rows[1][1]
            let predicted = ColumnTypeChange(from: rows[0][0], to: rows[1][0]).rewritesTable
            if rewritten != predicted { disagreements.append("\(rows[0][0]) → \(rows[1][0]): Postgres \(rewritten ? "rewrites" : "keeps"), Steward says \(predicted ? "rewrites" : "keeps")") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }

    /// Steward's list of volatile functions is volatile in pg_proc, and the stable or immutable
    /// functions defaults commonly call are not on it.
    @Test func volatileFunctionsAreVolatileInPgProc() throws {
        let database = try TestDatabase.require()
        let listed = BuiltinFunctions.volatile.sorted().map { "'\($0)'" }.joined(separator: ", ")
        let wrong = try database.psql("postgres", ["-At", "-c", "SELECT DISTINCT proname FROM pg_proc WHERE proname IN (\(listed)) AND provolatile <> 'v'"])
        #expect(wrong.status == 0 && wrong.stdout.isEmpty, "listed as volatile but not in pg_proc: \(wrong.stdout)")
        let present = try database.psql("postgres", ["-At", "-c", "SELECT count(DISTINCT proname) FROM pg_proc WHERE proname IN (\(listed))"])
        #expect(Int(present.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == BuiltinFunctions.volatile.count - 3,
                "every listed built-in exists (the three uuid-ossp functions need the extension)")
        let common = ["now", "statement_timestamp", "transaction_timestamp", "lower", "upper", "md5", "to_char", "jsonb_build_object", "timezone"]
        let stable = try database.psql("postgres", ["-At", "-c", "SELECT DISTINCT proname FROM pg_proc WHERE proname IN (\(common.map { "'\($0)'" }.joined(separator: ", "))) AND provolatile = 'v'"])
        #expect(stable.status == 0 && stable.stdout.isEmpty, "volatile in pg_proc but treated as constant: \(stable.stdout)")
    }
}
