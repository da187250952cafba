import CPgQuery

/// Why libpg_query rejected a piece of SQL, with the byte offset Postgres points at.
public struct SyntaxError: Error, Sendable, Equatable {
    public var message: String
    /// Byte offset into the parsed text (converted from Postgres's 1-based character cursor).
    public var offset: Int
}

/// The PostgreSQL 15 parser (libpg_query), through its protobuf API.
///
/// The protobuf result is unpacked by protobuf-c into C structs and walked in place:
/// measured ~5x faster and ~10x less memory than going through libpg_query's JSON.
public enum SQLParser {
    /// The grammar this build parses with, from libpg_query's headers (part of every cache key:
    /// a new libpg_query release must not reuse trees serialized by the old one).
    public static let grammarVersion = "PostgreSQL \(PG_VERSION) via libpg_query (\(PG_VERSION_NUM))"

    /// Parses every statement of `source`. `source` may contain masked regions (spaces)
    /// but must keep byte offsets identical to the file, so locations map back to it.
    public static func parse(_ source: SourceText) -> Result<[ParsedStatement], SyntaxError> {
        parse(source, range: 0..<source.bytes.count)
    }

    /// Parses only `range` of `source` (one statement found by `split`); every offset in the
    /// result is still an offset into the whole file.
    public static func parse(_ source: SourceText, range: Range<Int>) -> Result<[ParsedStatement], SyntaxError> {
        withSerializedTree(source, range: range) { tree in statements(fromSerializedTree: tree, source: source, range: range) }
            .flatMap { $0 }
    }

    /// libpg_query's serialized (protobuf) parse tree of `range`: what a parse cache stores.
    /// `parse(serializedTree:source:range:)` turns it into statements later.
    public static func serializedTree(_ source: SourceText, range: Range<Int>) -> Result<[UInt8], SyntaxError> {
        withSerializedTree(source, range: range) { Array($0) }
    }

    /// Statements from a tree that `serializedTree` produced for the same bytes (which may sit
    /// at a different offset: offsets in the tree are relative to the parsed text).
    public static func parse(serializedTree tree: [UInt8], source: SourceText, range: Range<Int>) -> Result<[ParsedStatement], SyntaxError> {
        tree.withUnsafeBufferPointer { statements(fromSerializedTree: $0, source: source, range: range) }
    }

    /// Runs `pg_query_parse_protobuf` on `range` and hands the serialized tree to `body`
    /// while libpg_query's buffer is alive.
    private static func withSerializedTree<T>(_ source: SourceText, range: Range<Int>,
                                              _ body: (UnsafeBufferPointer<UInt8>) -> T) -> Result<T, SyntaxError> {
        let result = withCString(source.bytes[range]) { pg_query_parse_protobuf($0) }
        defer { pg_query_free_protobuf_parse_result(result) }

        if let error = result.error {
            let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            let cursor = Int(error.pointee.cursorpos)
            let offset = cursor > 0 ? source.byteOffset(ofCharacterPosition: cursor, from: range.lowerBound) : range.lowerBound
            return .failure(SyntaxError(message: message, offset: offset))
        }
        let data = UnsafeRawPointer(result.parse_tree.data)?.assumingMemoryBound(to: UInt8.self)
        return .success(body(UnsafeBufferPointer(start: data, count: data == nil ? 0 : result.parse_tree.len)))
    }

    /// Unpacks a serialized tree (into an arena, see shim.h) and converts it to statements.
    private static func statements(fromSerializedTree tree: UnsafeBufferPointer<UInt8>, source: SourceText,
                                   range: Range<Int>) -> Result<[ParsedStatement], SyntaxError> {
        var arena = steward_arena()
        defer { steward_arena_release(&arena) }
        guard let unpacked = steward_unpack_parse_result(&arena, tree.count, tree.baseAddress) else {
            return .failure(SyntaxError(message: "libpg_query returned a parse tree that could not be unpacked", offset: range.lowerBound))
        }

        let converter = NodeConverter(source: source, base: range.lowerBound, end: range.upperBound)
        var statements: [ParsedStatement] = []
        statements.reserveCapacity(unpacked.pointee.n_stmts)
        for index in 0..<unpacked.pointee.n_stmts {
            guard let raw = unpacked.pointee.stmts[index], let node = raw.pointee.stmt else { continue }
            let range = converter.statementRange(location: Int(raw.pointee.stmt_location), length: Int(raw.pointee.stmt_len))
            statements.append(ParsedStatement(statement: converter.statement(node), range: range))
        }
        return .success(statements)
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
            switch node.pointee.node_case {
            case PG_QUERY__NODE__NODE_VIEW_STMT: return node.pointee.view_stmt?.pointee.query.flatMap(Expressions.deparseStatement)
            case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: return node.pointee.create_table_as_stmt?.pointee.query.flatMap(Expressions.deparseStatement)
            default: return nil
            }
        } ?? nil
    }

    /// Whether `text` is one whole `COPY … FROM STDIN;` statement (as pg_dump writes it on one
    /// line), judged by libpg_query's parser: psql then reads data rows up to `\.`.
    public static func isCopyFromStdin(_ text: [UInt8]) -> Bool {
        withSingleStatementNode(text) { node -> Bool in
            guard node.pointee.node_case == PG_QUERY__NODE__NODE_COPY_STMT, let copy = node.pointee.copy_stmt?.pointee else { return false }
            // FROM (is_from) with no file name and no PROGRAM: STDIN.
            return copy.is_from != 0 && copy.is_program == 0 && optionalText(copy.filename) == nil
        } ?? false
    }

    /// Parses `text` and hands its statement node to `body` while the tree is alive; nil when
    /// the text does not parse as exactly one statement.
    private static func withSingleStatementNode<T>(_ text: [UInt8], _ body: (NodePointer) -> T) -> T? {
        let result = withCString(text[...]) { pg_query_parse_protobuf($0) }
        defer { pg_query_free_protobuf_parse_result(result) }
        guard result.error == nil else { return nil }
        let data = UnsafeRawPointer(result.parse_tree.data)?.assumingMemoryBound(to: UInt8.self)
        guard let tree = pg_query__parse_result__unpack(nil, result.parse_tree.len, data) else { return nil }
        defer { pg_query__parse_result__free_unpacked(tree, nil) }
        guard tree.pointee.n_stmts == 1, let node = tree.pointee.stmts[0]?.pointee.stmt else { return nil }
        return body(node)
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
