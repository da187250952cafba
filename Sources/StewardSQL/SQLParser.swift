import CPgQuery
internal import CPgQueryRaw
import Foundation

/// Why libpg_query rejected a piece of SQL, with the byte offset Postgres points at.
public struct SyntaxError: Error, Sendable, Equatable {
    public var message: String
    /// Byte offset into the parsed text (converted from Postgres's 1-based character cursor).
    public var offset: Int
}

/// The PostgreSQL 15 parser (libpg_query), read as PostgreSQL's own raw parse tree.
///
/// `pg_query_raw_parse` returns the tree the server's grammar builds (a `List` of `RawStmt`),
/// which is walked in place and converted to `Statement` values; the tree lives in a memory
/// context entered for the call and freed in one step when the statements are converted.
/// libpg_query's protobuf API, which serialises every tree, is used only for its deparser.
public enum SQLParser {
    /// The grammar this build parses with (part of every cache key: a new libpg_query release
    /// must not reuse results computed with the old one).
    public static let grammarVersion = "PostgreSQL \(CPgQuery.PG_VERSION) via libpg_query (\(steward_raw_parser_version_num())), "
        + "node headers \(steward_raw_headers_version_num())"

    /// Parses every statement of `source`. `source` may contain masked regions (spaces)
    /// but must keep byte offsets identical to the file, so locations map back to it.
    public static func parse(_ source: SourceText) -> Result<[ParsedStatement], SyntaxError> {
        parse(source, range: 0..<source.bytes.count)
    }

    /// Parses only `range` of `source` (one statement found by `split`, or a whole file); every
    /// offset in the result is still an offset into the whole file.
    public static func parse(_ source: SourceText, range: Range<Int>) -> Result<[ParsedStatement], SyntaxError> {
        withRawTree(source.bytes[range]) { result -> Result<[ParsedStatement], SyntaxError> in
            if let message = result.error_message {
                let cursor = Int(result.error_cursor)
                let offset = cursor > 0 ? source.byteOffset(ofCharacterPosition: cursor, from: range.lowerBound) : range.lowerBound
                return .failure(SyntaxError(message: String(cString: message), offset: offset))
            }
            let converter = NodeConverter(source: source, base: range.lowerBound, end: range.upperBound)
            var statements: [ParsedStatement] = []
            statements.reserveCapacity(count(result.statements))
            for node in nodes(result.statements) where node.tag == T_RawStmt {
                let raw = node.as(RawStmt.self).pointee
                guard let statement = raw.stmt else { continue }
                let range = converter.statementRange(location: Int(raw.stmt_location), length: Int(raw.stmt_len))
                statements.append(ParsedStatement(statement: converter.statement(statement), range: range))
            }
            return .success(statements)
        }
    }

    /// Runs PostgreSQL's raw parser on `bytes` inside a memory context of its own, hands the
    /// result to `body`, and frees the tree (and the error text) when `body` returns.
    static func withRawTree<T>(_ bytes: ArraySlice<UInt8>, _ body: (steward_raw_parse_result) -> T) -> T {
        let context = steward_raw_enter()
        defer { steward_raw_exit(context) }
        let result = withCString(bytes) { steward_raw_parse($0) }
        defer { free(result.error_message) }
        return body(result)
    }

    /// Statement boundaries found by libpg_query's scanner, without building parse trees.
    /// Used to parse a huge file statement by statement and to keep going after a syntax error.
    public static func split(_ source: SourceText) -> Result<[Range<Int>], SyntaxError> {
        let result = withCString(source.bytes[...]) { pg_query_split_with_scanner($0) }
        defer { pg_query_free_split_result(result) }
        if let error = result.error {
            let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            let cursor = Int(error.pointee.cursorpos)
            return .failure(SyntaxError(message: message, offset: cursor > 0 ? source.byteOffset(ofCharacterPosition: cursor) : 0))
        }
        var ranges: [Range<Int>] = []
        for index in 0..<Int(result.n_stmts) {
            guard let stmt = result.stmts[index] else { continue }
            let start = Int(stmt.pointee.stmt_location)
            let length = Int(stmt.pointee.stmt_len)
            ranges.append(start..<(length == 0 ? source.bytes.count : start + length))
        }
        return .success(ranges)
    }
}

extension SQLParser {
    /// `sql` parsed and printed back by libpg_query's deparser: one canonical text for
    /// equivalent SQL (`(1 + 2) * 3` and `((1+2)*3)` print alike, `1 + 2 * 3` does not).
    public static func deparse(_ sql: String) -> String? {
        let result = withCString(Array(sql.utf8)[...]) { pg_query_parse_protobuf($0) }
        defer { pg_query_free_protobuf_parse_result(result) }
        guard result.error == nil else { return nil }
        let deparsed = pg_query_deparse_protobuf(result.parse_tree)
        defer { pg_query_free_deparse_result(deparsed) }
        guard deparsed.error == nil, let query = deparsed.query else { return nil }
        return String(cString: query)
    }

    /// The query of a `CREATE [MATERIALIZED] VIEW` statement as libpg_query's deparser prints
    /// it. Deparsing costs a serialisation round trip, so it is done on demand (for
    /// `steward model`), never while checking.
    public static func viewQuery(inStatement sql: String) -> String? {
        withSingleStatementNode(Array(sql.utf8)) { node -> String? in
            switch node.tag {
            case T_ViewStmt: return node.as(ViewStmt.self).pointee.query.flatMap(Expressions.deparseStatement)
            case T_CreateTableAsStmt: return node.as(CreateTableAsStmt.self).pointee.query.flatMap(Expressions.deparseStatement)
            default: return nil
            }
        } ?? nil
    }

    /// Whether `text` is one whole `COPY … FROM STDIN;` statement (as pg_dump writes it on one
    /// line), judged by libpg_query's parser: psql then reads data rows up to `\.`.
    public static func isCopyFromStdin(_ text: [UInt8]) -> Bool {
        withSingleStatementNode(text) { node -> Bool in
            guard node.tag == T_CopyStmt else { return false }
            let copy = node.as(CopyStmt.self).pointee
            // FROM (is_from) with no file name and no PROGRAM: STDIN.
            return copy.is_from && !copy.is_program && optionalText(copy.filename) == nil
        } ?? false
    }

    /// Parses `text` and hands its statement node to `body` while the tree is alive; nil when
    /// the text does not parse as exactly one statement.
    private static func withSingleStatementNode<T>(_ text: [UInt8], _ body: (RawNode) -> T) -> T? {
        withRawTree(text[...]) { result -> T? in
            let statements = nodes(result.statements)
            guard result.error_message == nil, statements.count == 1, statements[0].tag == T_RawStmt,
                  let node = statements[0].as(RawStmt.self).pointee.stmt else { return nil }
            return body(node)
        }
    }

    /// Calls `body` with `bytes` as the C string libpg_query reads. An embedded NUL would
    /// silently end the input early, so NULs become spaces (and the parser then reports what
    /// follows, if anything is wrong).
    static func withCString<T>(_ bytes: ArraySlice<UInt8>, _ body: (UnsafePointer<CChar>) -> T) -> T {
        var terminated = [UInt8]()
        terminated.reserveCapacity(bytes.count + 1)
        terminated.append(contentsOf: bytes)
        if terminated.contains(0) {
            for index in terminated.indices where terminated[index] == 0 { terminated[index] = UInt8(ascii: " ") }
        }
        terminated.append(0)
        return terminated.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
        }
    }
}
