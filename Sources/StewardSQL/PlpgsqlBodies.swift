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
        withPlpgsqlJSON(ofBody: body) { PlpgsqlJSON.parse($0) }.map { steps($0) } ?? []
    }

    /// Reads the JSON libpg_query gives for `body` (in place: it is freed afterwards); nil
    /// when the body does not parse.
    static func withPlpgsqlJSON<Result>(ofBody body: String, _ read: (UnsafeBufferPointer<UInt8>) -> Result?) -> Result? {
        // Lines of the body keep their numbers: the wrapper adds no line break before it.
        let wrapper = "CREATE FUNCTION steward_do_block() RETURNS void LANGUAGE plpgsql AS $steward_body$" + body + "$steward_body$"
        // The body must not close the wrapper's quote. Searched as the C string the parser
        // receives (which ends at a NUL byte, if any): Foundation's searches are much slower.
        guard body.withCString({ strstr($0, "$steward_body$") }) == nil else { return nil }
        let result = wrapper.withCString { pg_query_parse_plpgsql($0) }
        defer { pg_query_free_plpgsql_parse_result(result) }
        guard result.error == nil, let json = result.plpgsql_funcs else { return nil }
        let count = strlen(json)
        return json.withMemoryRebound(to: UInt8.self, capacity: count) { read(UnsafeBufferPointer(start: $0, count: count)) }
    }

    private static func steps(_ value: PlpgsqlJSON?) -> [EmbeddedStep] {
        guard let value else { return [] }
        switch value {
        case .array(let elements): return elements.flatMap { steps($0) }
        case .object: break
        default: return []
        }
        if let statement = value["PLpgSQL_stmt_execsql"], case .object = statement {
            guard let query = expression(statement["sqlstmt"]) else { return [] }
            return [.statement(EmbeddedStatement(sql: query, line: statement["lineno"]?.integer ?? 1))]
        }
        if let statement = value["PLpgSQL_stmt_dynexecute"], case .object = statement {
            // Only a constant string is knowable without running the block.
            guard let query = expression(statement["query"]), query.count >= 2, query.hasPrefix("'"), query.hasSuffix("'"),
                  !query.dropFirst().dropLast().replacingOccurrences(of: "''", with: "").contains("'") else { return [] }
            let literal = String(query.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            return [.statement(EmbeddedStatement(sql: literal, line: statement["lineno"]?.integer ?? 1))]
        }
        if let statement = value["PLpgSQL_stmt_if"], case .object = statement {
            var alternatives = [steps(statement["then_body"])]
            if case .array(let elsifs) = statement["elsif_list"] {
                for elsif in elsifs { alternatives.append(steps(object(elsif["PLpgSQL_if_elsif"])?["stmts"])) }
            }
            if let otherwise = statement["else_body"] { alternatives.append(steps(otherwise)) }
            return [.choice(alternatives)]
        }
        if let statement = value["PLpgSQL_stmt_case"], case .object = statement {
            var alternatives: [[EmbeddedStep]] = []
            if case .array(let whens) = statement["case_when_list"] {
                alternatives = whens.map { steps(object($0["PLpgSQL_case_when"])?["stmts"]) }
            }
            if let otherwise = statement["else_stmts"] { alternatives.append(steps(otherwise)) }
            return [.choice(alternatives)]
        }
        if let block = value["PLpgSQL_stmt_block"], case .object = block {
            let body = steps(block["body"])
            return block["exceptions"] == nil ? body : [.choice([body])]
        }
        // Loops and other statements: walk their bodies once, in order.
        guard case .object(let members) = value else { return [] }
        let keys = Set(members.map(\.key)).filter { $0 != "datums" && $0 != "exceptions" }.sorted()
        return keys.flatMap { steps(value[$0]) }
    }

    private static func object(_ value: PlpgsqlJSON?) -> PlpgsqlJSON? {
        if case .object = value { return value }
        return nil
    }

    private static func expression(_ value: PlpgsqlJSON?) -> String? {
        object(object(value)?["PLpgSQL_expr"])?["query"]?.string
    }
}
