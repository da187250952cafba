import CPgQuery
import Foundation

/// A SQL statement found inside a PL/pgSQL body, with its 1-based line in the body.
public struct EmbeddedStatement: Sendable, Equatable {
    public var sql: String
    public var line: Int
}

extension SQLParser {
    /// The SQL statements a `DO` block runs, in order: static statements and `EXECUTE`
    /// of a string literal. Statements inside EXCEPTION handlers are left out (they are
    /// the fallback path). libpg_query's PL/pgSQL parser has a JSON API only; it is used
    /// for these bodies alone, never for migration files.
    public static func statements(inPlpgsqlBody body: String) -> [EmbeddedStatement] {
        // Lines of the body keep their numbers: the wrapper adds no line break before it.
        let wrapper = "CREATE FUNCTION steward_do_block() RETURNS void LANGUAGE plpgsql AS $steward_body$" + body + "$steward_body$"
        guard !body.contains("$steward_body$") else { return [] }
        let result = wrapper.withCString { pg_query_parse_plpgsql($0) }
        defer { pg_query_free_plpgsql_parse_result(result) }
        guard result.error == nil, let json = result.plpgsql_funcs,
              let parsed = try? JSONSerialization.jsonObject(with: Data(String(cString: json).utf8)) else { return [] }
        var found: [EmbeddedStatement] = []
        collect(parsed, into: &found)
        return found
    }

    /// Branch order as the code reads: condition, then, elsif, else.
    private static let keyOrder = ["action", "body", "cond", "then_body", "elsif_list", "else_body", "stmts"]

    private static func collect(_ value: Any, into found: inout [EmbeddedStatement]) {
        if let array = value as? [Any] {
            for item in array { collect(item, into: &found) }
            return
        }
        guard let object = value as? [String: Any] else { return }
        if let statement = object["PLpgSQL_stmt_execsql"] as? [String: Any],
           let query = ((statement["sqlstmt"] as? [String: Any])?["PLpgSQL_expr"] as? [String: Any])?["query"] as? String {
            found.append(EmbeddedStatement(sql: query, line: statement["lineno"] as? Int ?? 1))
            return
        }
        if let statement = object["PLpgSQL_stmt_dynexecute"] as? [String: Any],
           let query = ((statement["query"] as? [String: Any])?["PLpgSQL_expr"] as? [String: Any])?["query"] as? String {
            // Only a constant string is knowable without running the block.
            if query.hasPrefix("'"), query.hasSuffix("'"), query.count >= 2,
               !query.dropFirst().dropLast().replacingOccurrences(of: "''", with: "").contains("'") {
                let literal = String(query.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
                found.append(EmbeddedStatement(sql: literal, line: statement["lineno"] as? Int ?? 1))
            }
            return
        }
        let keys = object.keys.filter { $0 != "exceptions" && $0 != "datums" }.sorted { lhs, rhs in
            (keyOrder.firstIndex(of: lhs) ?? keyOrder.count, lhs) < (keyOrder.firstIndex(of: rhs) ?? keyOrder.count, rhs)
        }
        for key in keys { collect(object[key]!, into: &found) }
    }
}
