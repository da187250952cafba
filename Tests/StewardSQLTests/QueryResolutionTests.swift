import StewardSQL
import Testing

/// A schema of three tables and a view, with the default search path (public).
struct TestCatalog: QueryCatalog {
    static let tables: [String: [String]?] = [
        "users": ["id", "email", "name", "created_at"],
        "codebases": ["id", "owner", "name", "last_viewed_at"],
        "analyses": ["id", "codebase_id", "status", "created_at"],
        "v_recent": nil,
    ]

    func relation(named name: ObjectName) -> CatalogRelation? {
        guard name.schema == nil || name.schema == "public", let columns = Self.tables[name.name] else { return nil }
        return CatalogRelation(name: ObjectName(schema: "public", name: name.name), columns: columns)
    }
}

struct QueryResolutionTests {
    func resolve(_ sql: String) -> QueryFile { SQLParser.queries(in: SourceText(sql), catalog: TestCatalog()) }

    func one(_ sql: String) throws -> Query {
        let file = resolve(sql)
        #expect(file.syntaxErrors.isEmpty, "\(file.syntaxErrors)")
        return try #require(file.queries.first)
    }

    /// "r users.email", "w codebases" … for compact expectations.
    func accesses(_ query: Query) -> Set<String> {
        Set(query.accesses.map { "\($0.kind == .read ? "r" : "w") \($0.relation.name)\($0.column.map { "." + $0 } ?? "")" })
    }

    @Test func aliasesJoinsAndQualifiedColumns() throws {
        let query = try one("""
            SELECT a.id, c.owner, c.name AS repo FROM analyses a JOIN codebases c ON c.id = a.codebase_id
            WHERE a.status = 'completed' ORDER BY repo
            """)
        #expect(query.problems.isEmpty, "\(query.problems)")
        #expect(accesses(query) == ["r analyses", "r codebases", "r analyses.id", "r codebases.owner", "r codebases.name",
                                    "r codebases.id", "r analyses.codebase_id", "r analyses.status"])
    }

    @Test func cteNamesAreNotTables() throws {
        let query = try one("""
            WITH recent AS (SELECT codebase_id, max(created_at) AS latest FROM analyses GROUP BY codebase_id)
            SELECT c.owner, r.latest FROM recent r JOIN codebases c ON c.id = r.codebase_id
            """)
        #expect(query.problems.isEmpty, "\(query.problems)")
        #expect(!accesses(query).contains("r recent"))
        #expect(accesses(query).isSuperset(of: ["r analyses.codebase_id", "r analyses.created_at", "r codebases.owner"]))
    }

    @Test func subqueriesSeeOuterColumnsAndLateralSeesEarlierItems() throws {
        let query = try one("""
            SELECT u.email, last.status FROM users u
            CROSS JOIN LATERAL (SELECT a.status FROM analyses a WHERE a.codebase_id = u.id ORDER BY a.created_at DESC LIMIT 1) last
            WHERE EXISTS (SELECT 1 FROM codebases c WHERE c.owner = u.name)
            """)
        #expect(query.problems.isEmpty, "\(query.problems)")
        #expect(accesses(query).isSuperset(of: ["r users.email", "r users.id", "r users.name", "r codebases.owner", "r analyses.status"]))
    }

    @Test func starExpandsToEveryColumn() throws {
        let query = try one("SELECT * FROM users")
        #expect(accesses(query) == ["r users", "r users.id", "r users.email", "r users.name", "r users.created_at"])
        let qualified = try one("SELECT c.* FROM codebases c JOIN users u ON u.id = c.id")
        #expect(accesses(qualified).contains("r codebases.last_viewed_at"))
        #expect(!accesses(qualified).contains("r users.email"))
    }

    @Test func writesWithConflictsAndReturning() throws {
        let insert = try one("""
            INSERT INTO codebases (owner, name) VALUES ($1, $2)
            ON CONFLICT (owner, name) DO UPDATE SET last_viewed_at = excluded.last_viewed_at RETURNING id
            """)
        #expect(insert.problems.isEmpty, "\(insert.problems)")
        // The conflict target reads the unique columns; `excluded` is the proposed row, not a table.
        #expect(accesses(insert) == ["w codebases", "w codebases.owner", "w codebases.name", "w codebases.last_viewed_at",
                                     "r codebases.owner", "r codebases.name", "r codebases.id"])
        let update = try one("UPDATE codebases SET last_viewed_at = now() FROM users u WHERE codebases.owner = u.name")
        #expect(accesses(update).isSuperset(of: ["w codebases.last_viewed_at", "r users.name", "r codebases.owner"]))
        let delete = try one("DELETE FROM analyses a USING codebases c WHERE a.codebase_id = c.id AND c.owner = $1 RETURNING a.id")
        #expect(accesses(delete).isSuperset(of: ["w analyses", "r codebases.owner", "r analyses.id"]))
    }

    @Test func sqlcParametersAreNotColumns() throws {
        let file = resolve("""
            -- name: GetUser :one
            SELECT id FROM users WHERE email = sqlc.arg(email_address) AND name = @display_name;

            -- name: ListUsers :many
            SELECT id FROM users WHERE id = ANY(sqlc.slice(ids)) AND created_at > sqlc.narg('since')::timestamptz;
            """)
        #expect(file.syntaxErrors.isEmpty)
        #expect(file.queries.map(\.name) == ["GetUser", "ListUsers"])
        #expect(file.queries.map(\.command) == [":one", ":many"])
        #expect(file.queries.allSatisfy { $0.problems.isEmpty }, "\(file.queries.map(\.problems))")
    }

    @Test func unknownTablesAndColumnsAreProblems() throws {
        #expect(try one("SELECT id FROM missing_table").problems.map(\.message) == ["relation \"missing_table\" does not exist"])
        #expect(try one("SELECT nickname FROM users").problems.map(\.message) == ["column \"nickname\" does not exist"])
        #expect(try one("SELECT u.nickname FROM users u").problems.map(\.message) == ["column u.nickname does not exist"])
        #expect(try one("UPDATE users SET nickname = 1").problems.map(\.message) == ["column \"nickname\" of relation \"users\" does not exist"])
        #expect(try one("SELECT x.id FROM users u").problems.map(\.message) == ["missing FROM-clause entry for table \"x\""])
        // A view's columns are not known: any column is accepted, and the read recorded.
        let view = try one("SELECT anything FROM v_recent")
        #expect(view.problems.isEmpty)
        // Functions in FROM without a column list: their columns are not checked.
        #expect(try one("SELECT value FROM users u, jsonb_each(u.name::jsonb)").problems.isEmpty)
    }

    @Test func malformedAnnotationsAndSyntaxErrorsAreReported() {
        let file = resolve("""
            -- name: :one
            SELECT 1;
            -- name: Broken :sometimes
            SELECT 2;
            SELECT FROM WHERE;
            -- name: Fine :exec
            DELETE FROM users WHERE id = $1;
            """)
        #expect(file.annotationProblems.count == 2)
        #expect(file.syntaxErrors.count == 1)
        #expect(file.queries.last?.name == "Fine")
    }
}
