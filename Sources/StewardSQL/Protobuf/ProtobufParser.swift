import CPgQuery

/// libpg_query's protobuf API walked as protobuf-c structs: how Steward parsed before it read
/// the raw tree. Kept only as the reference the raw conversion is checked against
/// (`RawParseDifferentialTests`, the fuzz target); nothing in a `steward` run calls it.
extension SQLParser {
    /// `parse(_:range:)` through `pg_query_parse_protobuf` and protobuf-c.
    package static func parseThroughProtobuf(_ source: SourceText, range: Range<Int>) -> Result<[ParsedStatement], SyntaxError> {
        withSerializedTree(source, range: range) { tree in statements(fromSerializedTree: tree, source: source, range: range) }
            .flatMap { $0 }
    }

    /// A statement's whole value (with its range) as text, for comparing the two paths. Kinds of
    /// unmodelled statements are compared case-blind and without underscores: the raw tree names
    /// them as PostgreSQL's struct does (`AlterTSDictionaryStmt`), protobuf as its snake-case field.
    package static func referenceDescription(_ parsed: ParsedStatement) -> String {
        func normalized(_ statement: Statement) -> Statement {
            switch statement {
            case .other(let kind): return .other(kind: kind.lowercased().replacingOccurrences(of: "_", with: ""))
            case .dataChange(var change):
                change.kind = change.kind.lowercased().replacingOccurrences(of: "_", with: "")
                return .dataChange(change)
            case .createSchema(var schema):
                schema.elements = schema.elements.map(normalized)
                return .createSchema(schema)
            default: return statement
            }
        }
        var text = ""
        dump(normalized(parsed.statement), to: &text)
        return "\(parsed.range) \(text)"
    }

    /// libpg_query's serialized (protobuf) parse tree of `range`.
    package static func serializedTree(_ source: SourceText, range: Range<Int>) -> Result<[UInt8], SyntaxError> {
        withSerializedTree(source, range: range) { Array($0) }
    }

    /// Statements from a tree that `serializedTree` produced for the same bytes.
    package static func parse(serializedTree tree: [UInt8], source: SourceText, range: Range<Int>) -> Result<[ParsedStatement], SyntaxError> {
        tree.withUnsafeBufferPointer { statements(fromSerializedTree: $0, source: source, range: range) }
    }

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

    private static func statements(fromSerializedTree tree: UnsafeBufferPointer<UInt8>, source: SourceText,
                                   range: Range<Int>) -> Result<[ParsedStatement], SyntaxError> {
        var arena = steward_arena()
        defer { steward_arena_release(&arena) }
        guard let unpacked = steward_unpack_parse_result(&arena, tree.count, tree.baseAddress) else {
            return .failure(SyntaxError(message: "libpg_query returned a parse tree that could not be unpacked", offset: range.lowerBound))
        }
        let converter = ProtobufConverter(source: source, base: range.lowerBound, end: range.upperBound)
        var statements: [ParsedStatement] = []
        statements.reserveCapacity(unpacked.pointee.n_stmts)
        for index in 0..<unpacked.pointee.n_stmts {
            guard let raw = unpacked.pointee.stmts[index], let node = raw.pointee.stmt else { continue }
            let range = converter.statementRange(location: Int(raw.pointee.stmt_location), length: Int(raw.pointee.stmt_len))
            statements.append(ParsedStatement(statement: converter.statement(node), range: range))
        }
        return .success(statements)
    }
}
