import StewardSQL
import Testing

/// The renderer's text must parse back to the same tree: compared through libpg_query's
/// deparser, which prints equivalent SQL alike and keeps every parenthesis that matters.
struct ExpressionRenderingTests {
    static let expressions = [
        "(1 + 2) * 3", "1 + 2 * 3", "x - (y - 1)", "(x - y) - 1", "((y + 1) * 2) > 0", "a = (b IS NULL)", "(a = b) IS NULL",
        "(a + b)::integer", "(-1)::bigint", "- x", "-1", "a AND (b OR c)", "(a AND b) OR c", "NOT (a OR b)", "NOT a AND b",
        "a - -1", "2 ^ (3 ^ 4)", "(2 ^ 3) ^ 4", "lower(email)", "coalesce(a, b) = 'x'", "char_length(name) BETWEEN 1 AND 80",
        "a IN (1, 2)", "a LIKE 'x%'", "(a || b) || c", "a || (b || c)", "now() - interval '1 day'", "x::text::integer",
        "array_length(tags, 1) > 0", "CASE WHEN a THEN 1 ELSE 2 END", "a OPERATOR(pg_catalog.+) b", "(a + b) IS NOT NULL",
        "'it''s'", "count(*) > 0", "(a > 0) = (b > 0)", "extract(year FROM ts) = 2024", "jsonb_build_object('k', 1) -> 'k'",
        "(data ->> 'a')::integer", "data -> 'a' ->> 'b'", "(a).b", "CURRENT_TIMESTAMP", "gen_random_uuid()",
    ]

    /// A CHECK expression (the grammar's full `a_expr`; types do not matter to the parser),
    /// as Steward renders it.
    func rendered(_ expression: String) throws -> String {
        let statements = try SQLParser.parse(SourceText("CREATE TABLE t (c int, CHECK (\(expression)))")).get()
        guard case .createTable(let create) = statements.first?.statement, let text = create.constraints.first?.expression else {
            throw ExpressionError.notRendered(expression)
        }
        return text
    }

    enum ExpressionError: Error { case notRendered(String) }

    @Test(arguments: expressions)
    func renderingKeepsTheTree(_ expression: String) throws {
        let text = try rendered(expression)
        let original = try #require(SQLParser.deparse("SELECT \(expression)"))
        let again = try #require(SQLParser.deparse("SELECT \(text)"), "rendered text does not parse: \(text)")
        #expect(again == original, "\(expression) rendered as \(text)")
    }

    /// The comparison itself catches a dropped parenthesis.
    @Test func theDeparserTellsDroppedParenthesesApart() {
        #expect(SQLParser.deparse("SELECT (1 + 2) * 3") != SQLParser.deparse("SELECT 1 + 2 * 3"))
        #expect(SQLParser.deparse("SELECT (1 + 2) * 3") == SQLParser.deparse("SELECT ((1+2)*3)"))
    }

    @Test func intervalFieldsAndPrecisionPrintAsFormatType() throws {
        let statements = try SQLParser.parse(SourceText(
            "CREATE TABLE t (a interval(3), b interval day to second, c interval second(2), d interval year to month, e interval, f interval day to second(0))")).get()
        guard case .createTable(let create) = statements.first?.statement else { Issue.record("not a table"); return }
        #expect(create.columns.map(\.type.formatted) == [
            "interval(3)", "interval day to second", "interval second(2)", "interval year to month", "interval", "interval day to second(0)",
        ])
    }
}
