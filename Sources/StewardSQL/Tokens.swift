import CPgQuery

/// One token of libpg_query's scanner (PostgreSQL's own lexer), as Swift values.
struct ScannedToken {
    var start: Int
    var end: Int
    var kind: PgQuery__Token
    var isKeyword: Bool
}

extension SQLParser {
    /// Every token of `source` from libpg_query's scanner; nil when the scanner fails.
    static func tokens(_ source: SourceText) -> [ScannedToken]? {
        let result = withCString(source.bytes[...]) { pg_query_scan($0) }
        defer { pg_query_free_scan_result(result) }
        guard result.error == nil else { return nil }
        let data = UnsafeRawPointer(result.pbuf.data)?.assumingMemoryBound(to: UInt8.self)
        guard let scan = pg_query__scan_result__unpack(nil, result.pbuf.len, data) else { return nil }
        defer { pg_query__scan_result__free_unpacked(scan, nil) }
        var tokens: [ScannedToken] = []
        tokens.reserveCapacity(scan.pointee.n_tokens)
        for index in 0..<scan.pointee.n_tokens {
            guard let token = scan.pointee.tokens[index]?.pointee else { continue }
            tokens.append(ScannedToken(start: Int(token.start), end: Int(token.end), kind: token.token,
                                       isKeyword: token.keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD))
        }
        return tokens
    }

    /// Byte ranges of string constants and comments, from libpg_query's scanner. Used to
    /// tell a psql meta-command line (`\connect`) from a backslash inside a quoted body.
    public static func quotedRanges(_ source: SourceText) -> [Range<Int>] {
        (tokens(source) ?? []).compactMap { token in
            switch token.kind {
            case PG_QUERY__TOKEN__SCONST, PG_QUERY__TOKEN__USCONST, PG_QUERY__TOKEN__BCONST, PG_QUERY__TOKEN__XCONST,
                 PG_QUERY__TOKEN__SQL_COMMENT, PG_QUERY__TOKEN__C_COMMENT, PG_QUERY__TOKEN__IDENT:
                return token.start..<token.end
            default:
                return nil
            }
        }
    }

    /// psql variable interpolations (`:'name'`, `:"name"`, `:name`) found by libpg_query's
    /// scanner: a `:` token directly followed by a string, an identifier or a keyword. Each
    /// range covers the whole reference; `colon` is the offset of the `:`.
    public static func psqlVariableReferences(_ source: SourceText) -> [(colon: Int, range: Range<Int>)] {
        guard let tokens = tokens(source) else { return [] }
        var references: [(colon: Int, range: Range<Int>)] = []
        for index in tokens.indices.dropLast() {
            let colon = tokens[index], next = tokens[index + 1]
            guard colon.kind == PG_QUERY__TOKEN__ASCII_58, next.start == colon.end else { continue }
            let isName = next.kind == PG_QUERY__TOKEN__SCONST || next.kind == PG_QUERY__TOKEN__IDENT || next.isKeyword
            // `arr[1:n]` slices have a number or `[` before the colon; psql variables never do.
            let previous = index > 0 ? tokens[index - 1].kind : nil
            let inSlice = previous == PG_QUERY__TOKEN__ICONST || previous == PG_QUERY__TOKEN__ASCII_91
            if isName, !inSlice { references.append((colon.start, colon.start..<next.end)) }
        }
        return references
    }
}

extension SQLParser {
    /// The comments of `source` (`-- …` and `/* … */`), from libpg_query's scanner, with
    /// their byte ranges. Text that only looks like a comment (inside a string or a dollar
    /// quote) is not one. nil when the scanner fails (an unterminated quote).
    public static func comments(_ source: SourceText) -> [(range: Range<Int>, text: String)]? {
        guard let tokens = tokens(source) else { return nil }
        return tokens.compactMap { token in
            guard token.kind == PG_QUERY__TOKEN__SQL_COMMENT || token.kind == PG_QUERY__TOKEN__C_COMMENT else { return nil }
            return (token.start..<token.end, String(decoding: source.bytes[token.start..<token.end], as: UTF8.self))
        }
    }
}

extension SQLParser {
    /// The body of a `CREATE FUNCTION … AS <string>` statement, found with libpg_query's
    /// scanner (the string constant after the `AS` keyword), and the byte offset in `source`
    /// where the body's text starts. Dollar-quoted bodies map offset for offset; a body in
    /// `'…'` has its doubled quotes undone (offsets after one shift). nil for other forms
    /// (`BEGIN ATOMIC`, C functions' two strings are fine: the first is taken).
    public static func functionBody(of source: SourceText) -> (body: String, offset: Int)? {
        guard let tokens = tokens(source) else { return nil }
        for index in tokens.indices.dropLast() where tokens[index].kind == PG_QUERY__TOKEN__AS {
            let literal = tokens[index + 1]
            guard literal.kind == PG_QUERY__TOKEN__SCONST, literal.end > literal.start else { continue }
            let bytes = source.bytes[literal.start..<literal.end]
            if bytes.first == UInt8(ascii: "$") {
                // `$tag$ … $tag$`: the delimiter is everything up to the second `$`.
                guard let close = bytes.dropFirst().firstIndex(of: UInt8(ascii: "$")) else { return nil }
                let delimiter = close - literal.start + 1
                guard literal.end - literal.start >= 2 * delimiter else { return nil }
                let body = String(decoding: source.bytes[(literal.start + delimiter)..<(literal.end - delimiter)], as: UTF8.self)
                return (body, literal.start + delimiter)
            }
            if bytes.first == UInt8(ascii: "'"), bytes.count >= 2 {
                let inner = String(decoding: source.bytes[(literal.start + 1)..<(literal.end - 1)], as: UTF8.self)
                var body = ""
                var previousQuote = false
                for character in inner {
                    if character == "'" && previousQuote { previousQuote = false; continue }
                    previousQuote = character == "'"
                    body.append(character)
                }
                return (body, literal.start + 1)
            }
            return nil
        }
        return nil
    }
}
