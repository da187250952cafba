import CPgQuery
internal import CPgQueryRaw

extension SQLParser {
    /// The commands sqlc accepts after a query's name (sqlc's `metadata.go`).
    static let sqlcCommands: Set<String> = [":one", ":many", ":exec", ":execrows", ":execresult", ":execlastid",
                                            ":batchexec", ":batchmany", ":batchone", ":copyfrom"]

    /// Every statement of a query file (sqlc or plain SQL), parsed with PostgreSQL's parser and
    /// resolved against `catalog`. sqlc's `@name` parameters become `$n` before parsing (offsets
    /// unchanged), and `sqlc.arg(x)`, `sqlc.narg(x)`, `sqlc.slice(x)` are parameters, not columns.
    /// A statement that does not parse is a syntax error of the file; the others still count.
    public static func queries(in source: SourceText, catalog: QueryCatalog) -> QueryFile {
        let tokens = tokens(source) ?? []
        let masked = maskingSqlcParameters(source, tokens: tokens)
        let (annotations, annotationProblems) = sqlcAnnotations(source, tokens: tokens)
        var file = QueryFile(queries: [], syntaxErrors: [], annotationProblems: annotationProblems)
        let ranges: [Range<Int>]
        switch split(masked) {
        case .success(let split): ranges = split
        case .failure(let error):
            file.syntaxErrors.append(error)
            return file
        }
        var annotationIndex = 0
        for range in ranges {
            let outcome = withRawTree(masked.bytes[range]) { result -> Result<[Query], SyntaxError> in
                if let message = result.error_message {
                    let cursor = Int(result.error_cursor)
                    let offset = cursor > 0 ? masked.byteOffset(ofCharacterPosition: cursor, from: range.lowerBound) : range.lowerBound
                    return .failure(SyntaxError(message: String(cString: message), offset: offset))
                }
                let converter = NodeConverter(source: masked, base: range.lowerBound, end: range.upperBound)
                var queries: [Query] = []
                for node in nodes(result.statements) where node.tag == T_RawStmt {
                    let raw = node.as(RawStmt.self).pointee
                    guard let statement = raw.stmt else { continue }
                    let statementRange = converter.statementRange(location: Int(raw.stmt_location), length: Int(raw.stmt_len))
                    var resolver = QueryResolver(catalog: catalog, base: range.lowerBound)
                    let supported = resolver.resolveStatement(statement)
                    queries.append(Query(name: nil, command: nil, range: statementRange, accesses: resolver.accesses,
                                         problems: resolver.problems, isUnsupported: !supported))
                }
                return .success(queries)
            }
            switch outcome {
            case .success(let queries):
                for var query in queries {
                    // The annotation is the last `-- name:` comment before the statement.
                    while annotationIndex < annotations.count, annotations[annotationIndex].offset < query.range.lowerBound {
                        if annotationIndex + 1 == annotations.count || annotations[annotationIndex + 1].offset >= query.range.lowerBound {
                            query.name = annotations[annotationIndex].name
                            query.command = annotations[annotationIndex].command
                        }
                        annotationIndex += 1
                    }
                    file.queries.append(query)
                }
            case .failure(let error):
                file.syntaxErrors.append(error)
            }
        }
        return file
    }

    /// `@name` (sqlc's named parameter: an `@` operator token directly followed by a name)
    /// replaced by `$1` and spaces, so that PostgreSQL's grammar reads a parameter where sqlc
    /// does, with every offset unchanged.
    static func maskingSqlcParameters(_ source: SourceText, tokens: [ScannedToken]) -> SourceText {
        var bytes = source.bytes
        var changed = false
        for index in tokens.indices.dropLast() {
            let at = tokens[index], name = tokens[index + 1]
            guard at.end - at.start == 1, bytes[at.start] == UInt8(ascii: "@"), name.start == at.end,
                  name.kind == PG_QUERY__TOKEN__IDENT || name.isKeyword else { continue }
            bytes[at.start] = UInt8(ascii: "$")
            bytes[at.start + 1] = UInt8(ascii: "1")
            for offset in (at.start + 2)..<name.end { bytes[offset] = UInt8(ascii: " ") }
            changed = true
        }
        return changed ? SourceText(bytes: bytes) : source
    }

    /// sqlc's `-- name: Name :command` comments, in file order, and the malformed ones.
    static func sqlcAnnotations(_ source: SourceText, tokens: [ScannedToken])
        -> (annotations: [(offset: Int, name: String, command: String)], problems: [AnnotationProblem]) {
        var annotations: [(offset: Int, name: String, command: String)] = []
        var problems: [AnnotationProblem] = []
        for token in tokens where token.kind == PG_QUERY__TOKEN__SQL_COMMENT {
            let text = String(decoding: source.bytes[token.start..<token.end], as: UTF8.self)
            let body = text.dropFirst(2).drop { $0 == " " || $0 == "\t" }
            guard body.hasPrefix("name:") else { continue }
            let words = body.dropFirst("name:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let name = words.first, !name.hasPrefix(":") else {
                problems.append(AnnotationProblem(message: "sqlc annotation without a query name: expected `-- name: QueryName :command`",
                                                  offset: token.start))
                continue
            }
            guard words.count >= 2, sqlcCommands.contains(words[1]) else {
                let found = words.count >= 2 ? "`\(words[1])`" : "nothing"
                problems.append(AnnotationProblem(
                    message: "sqlc annotation of `\(name)` has \(found) where a command is expected (one of \(sqlcCommands.sorted().joined(separator: ", ")))",
                    offset: token.start))
                continue
            }
            annotations.append((token.start, name, words[1]))
        }
        return (annotations, problems)
    }
}
