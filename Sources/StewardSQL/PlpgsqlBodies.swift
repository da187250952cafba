import CPgQuery
import Foundation

/// A SQL statement found inside a PL/pgSQL body, with its 1-based line in the body.
public struct EmbeddedStatement: Sendable, Equatable {
    public var sql: String
    public var line: Int

    public init(sql: String, line: Int) {
        self.sql = sql
        self.line = line
    }
}

/// What a PL/pgSQL body runs, keeping its branches: a `choice` runs the first alternative
/// that applies (IF/ELSIF/ELSE, CASE, a block with an EXCEPTION handler, which either
/// completes or is rolled back).
public indirect enum EmbeddedStep: Sendable, Equatable {
    case statement(EmbeddedStatement)
    case choice([[EmbeddedStep]])
}

extension SQLParser {
    /// The SQL statements a `DO` block runs: static statements and `EXECUTE` of a string
    /// literal, with the branch structure around them. Statements of EXCEPTION handlers
    /// are left out (they are the fallback path). libpg_query's PL/pgSQL parser has a JSON
    /// API only; it is used for these bodies alone, never for migration files.
    public static func steps(inPlpgsqlBody body: String) -> [EmbeddedStep] {
        // Lines of the body keep their numbers: the wrapper adds no line break before it.
        let wrapper = "CREATE FUNCTION steward_do_block() RETURNS void LANGUAGE plpgsql AS $steward_body$" + body + "$steward_body$"
        // The body must not close the wrapper's quote. Searched as the C string the parser
        // receives (which ends at a NUL byte, if any): Foundation's searches are much slower.
        guard body.withCString({ strstr($0, "$steward_body$") }) == nil else { return [] }
        let result = wrapper.withCString { pg_query_parse_plpgsql($0) }
        defer { pg_query_free_plpgsql_parse_result(result) }
        // The JSON is read in place (it is freed after this function), not copied twice first.
        guard result.error == nil, let json = result.plpgsql_funcs,
              let parsed = try? JSONSerialization.jsonObject(with: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: json),
                                                                        count: strlen(json), deallocator: .none)) else { return [] }
        return steps(parsed)
    }

    private static func steps(_ value: Any?) -> [EmbeddedStep] {
        guard let value else { return [] }
        if let array = value as? [Any] { return array.flatMap { steps($0) } }
        guard let object = value as? [String: Any] else { return [] }
        if let statement = object["PLpgSQL_stmt_execsql"] as? [String: Any] {
            guard let query = expression(statement["sqlstmt"]) else { return [] }
            return [.statement(EmbeddedStatement(sql: query, line: statement["lineno"] as? Int ?? 1))]
        }
        if let statement = object["PLpgSQL_stmt_dynexecute"] as? [String: Any] {
            // Only a constant string is knowable without running the block.
            guard let query = expression(statement["query"]), query.count >= 2, query.hasPrefix("'"), query.hasSuffix("'"),
                  !query.dropFirst().dropLast().replacingOccurrences(of: "''", with: "").contains("'") else { return [] }
            let literal = String(query.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            return [.statement(EmbeddedStatement(sql: literal, line: statement["lineno"] as? Int ?? 1))]
        }
        if let statement = object["PLpgSQL_stmt_if"] as? [String: Any] {
            var alternatives = [steps(statement["then_body"])]
            for elsif in statement["elsif_list"] as? [Any] ?? [] {
                alternatives.append(steps(((elsif as? [String: Any])?["PLpgSQL_if_elsif"] as? [String: Any])?["stmts"]))
            }
            if let otherwise = statement["else_body"] { alternatives.append(steps(otherwise)) }
            return [.choice(alternatives)]
        }
        if let statement = object["PLpgSQL_stmt_case"] as? [String: Any] {
            var alternatives = (statement["case_when_list"] as? [Any] ?? []).map {
                steps((($0 as? [String: Any])?["PLpgSQL_case_when"] as? [String: Any])?["stmts"])
            }
            if let otherwise = statement["else_stmts"] { alternatives.append(steps(otherwise)) }
            return [.choice(alternatives)]
        }
        if let block = object["PLpgSQL_stmt_block"] as? [String: Any] {
            let body = steps(block["body"])
            return block["exceptions"] == nil ? body : [.choice([body])]
        }
        // Loops and other statements: walk their bodies once, in order.
        return object.keys.filter { $0 != "datums" && $0 != "exceptions" }.sorted().flatMap { steps(object[$0]) }
    }

    private static func expression(_ value: Any?) -> String? {
        ((value as? [String: Any])?["PLpgSQL_expr"] as? [String: Any])?["query"] as? String
    }
}
