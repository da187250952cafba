import Foundation
@testable import StewardSQL
import StewardTestSupport
import Testing

/// PL/pgSQL bodies are read from libpg_query's JSON with `PlpgsqlJSON`, not Foundation: the
/// reader must accept exactly what `JSONSerialization` accepts, and every body of the corpora
/// must give the steps it gave when Foundation read it.
struct PlpgsqlJSONTests {
    private static func parse(_ text: String) -> PlpgsqlJSON? {
        Array(text.utf8).withUnsafeBufferPointer { PlpgsqlJSON.parse($0) }
    }

    private static func foundationAccepts(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }

    @Test func readsValuesAsJSONDefinesThem() {
        #expect(Self.parse(#" {"a": [1, -20, 3.5, 1e3, true, false, null], "b": {}, "c": []} "#) == .object([
            .init(key: "a", value: .array([.number(1), .number(-20), .number(nil), .number(nil), .bool(true), .bool(false), .null])),
            .init(key: "b", value: .object([])), .init(key: "c", value: .array([])),
        ]))
        #expect(Self.parse(#""tab\there \"q\" \\ \/ \u00e9 \ud83d\ude00 é""#) == .string("tab\there \"q\" \\ / é 😀 é"))
        #expect(Self.parse(#"{"k": 1, "k": 2}"#)?["k"] == .number(2), "a repeated key: the last one, as a dictionary keeps it")
        #expect(Self.parse("99999999999999999999") == .number(nil), "an integer too large for Int is a number without a value")
    }

    /// Valid JSON is read, as `JSONSerialization` reads it; anything else is refused. (libpg_query
    /// only ever writes valid JSON. Foundation also takes a trailing comma, which RFC 8259 does not.)
    @Test func acceptsJSONAndNothingElse() {
        let valid = ["{}", "[]", "[1,2]", #"{"a":1}"#, "0", "-0", "1.5e-3", "\"\"", " [ true , false , null ] ", #"{"a":{"b":[{}]}}"#]
        let invalid = [
            "", " ", "[1 2]", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "1e", "+1", "-", "tru", "nul", "[1,]", "{\"a\":1,}",
            "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
            "\"control \u{01} char\"", "[1]]", "{\"a\":1}}", "[\"a\" \"b\"]", "{\"a\":}", "[,]", "nulls", "truex",
        ]
        for text in valid {
            #expect(Self.parse(text) != nil && Self.foundationAccepts(text), "\(text.debugDescription)")
        }
        for text in invalid {
            #expect(Self.parse(text) == nil, "\(text.debugDescription)")
        }
        let deep = String(repeating: "[", count: PlpgsqlJSON.maximumDepth + 1) + String(repeating: "]", count: PlpgsqlJSON.maximumDepth + 1)
        #expect(Self.parse(deep) == nil, "nesting deeper than the limit is refused, not followed")
        let shallow = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(Self.parse(shallow) != nil)
    }

    /// Every PL/pgSQL function body and DO block of ../shared/corpus (pg-regress included)
    /// gives, through the reader, the steps it gave through Foundation.
    @Test func corpusBodiesGiveTheStepsFoundationGave() throws {
        var bodies = 0, withSteps = 0
        for file in RawParseDifferentialTests.corpusFiles() {
            let source = SourceText(bytes: Array(try Data(contentsOf: file)))
            // Regression files hold deliberate syntax errors: those are parsed statement by statement.
            var statements: [ParsedStatement] = []
            if case .success(let all) = SQLParser.parse(source) {
                statements = all
            } else if case .success(let ranges) = SQLParser.split(source) {
                for range in ranges { if case .success(let one) = SQLParser.parse(source, range: range) { statements += one } }
            }
            for statement in statements {
                let body: String
                switch statement.statement {
                case .doBlock(let block) where block.language.lowercased() == "plpgsql":
                    body = block.body
                case .createFunction(let create) where create.language?.lowercased() == "plpgsql":
                    let range = statement.range.clamped(to: 0..<source.bytes.count)
                    guard let found = SQLParser.functionBody(of: SourceText(bytes: Array(source.bytes[range]))) else { continue }
                    body = found.body
                default:
                    continue
                }
                let steps = SQLParser.steps(inPlpgsqlBody: body)
                let expected = SQLParser.withPlpgsqlJSON(ofBody: body) { json in
                    (try? JSONSerialization.jsonObject(with: Data(json))).map { FoundationWalk.steps($0) }
                } ?? []
                #expect(steps == expected, "\(file.lastPathComponent):\(source.location(ofByte: statement.range.lowerBound).line)")
                bodies += 1
                if !steps.isEmpty { withSteps += 1 }
            }
        }
        #expect(bodies > 500 && withSteps > 200, "bodies compared: \(bodies), with statements: \(withSteps)")
    }
}

/// The walk as it was written over `JSONSerialization`'s `[String: Any]`: the reference.
private enum FoundationWalk {
    static func steps(_ value: Any?) -> [EmbeddedStep] {
        guard let value else { return [] }
        if let array = value as? [Any] { return array.flatMap { steps($0) } }
        guard let object = value as? [String: Any] else { return [] }
        if let statement = object["PLpgSQL_stmt_execsql"] as? [String: Any] {
            guard let query = expression(statement["sqlstmt"]) else { return [] }
            return [.statement(EmbeddedStatement(sql: query, line: statement["lineno"] as? Int ?? 1))]
        }
        if let statement = object["PLpgSQL_stmt_dynexecute"] as? [String: Any] {
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
        return object.keys.filter { $0 != "datums" && $0 != "exceptions" }.sorted().flatMap { steps(object[$0]) }
    }

    private static func expression(_ value: Any?) -> String? {
        ((value as? [String: Any])?["PLpgSQL_expr"] as? [String: Any])?["query"] as? String
    }
}
