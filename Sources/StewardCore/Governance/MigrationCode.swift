import StewardSQL

/// A place where a migration installs code that touches tables: a SQL or PL/pgSQL function's
/// body, resolved after replay. (Data statements the migration runs are recorded by the replay
/// directly, from the statement's target.)
public struct CodeSite: Sendable {
    public enum Kind: Sendable {
        case functionBody(ObjectName, language: String)
    }

    public var kind: Kind
    public var path: String
    /// The statement's text (as the migration tool runs it), kept so that its body can be
    /// resolved after the file's own text is released.
    public var statement: [UInt8]
    /// Where the statement starts in its file.
    public var start: SourceLocation

    /// The place in the file of a byte offset into `statement`.
    func fileLocation(of location: SourceLocation) -> (line: Int, column: Int) {
        (start.line + location.line - 1, location.line == 1 ? start.column + location.column - 1 : location.column)
    }
}

/// A table a function body or a migration's data statement reads or writes.
public struct CodeAccess: Sendable {
    /// The function whose body it is; nil for a data statement of the migration.
    public var function: ObjectName?
    /// `INSERT`, `UPDATE`… for a data statement.
    public var statement: String?
    public var relation: ObjectName
    public var writes: Bool
    public var location: FileLocation
}

public enum MigrationCode {
    /// What every owned function's body reads and writes, resolved against the replayed schema
    /// with the query resolver (the same one the services' query files go through). Resolved
    /// when asked (the rules that need it may be off). The data statements' accesses are the
    /// replay's own (`SchemaModel.codeAccesses`): tens of thousands, not copied in here.
    public static func functionAccesses(_ model: SchemaModel) -> [CodeAccess] {
        var result: [CodeAccess] = []
        // Only a function some service owns can depend on another service's table.
        let owned = Set(model.functions.values.filter { $0.owner != nil }.map(\.name))
        let sites = model.codeSites.filter { site in
            if case .functionBody(let name, _) = site.kind { return owned.contains(name) }
            return false
        }
        guard !sites.isEmpty else { return result }
        let catalog = ModelCatalog(model: model)
        // Bodies found with the scanner, then each distinct body resolved once: migrations often
        // install the same trigger function body under many names.
        let bodies: [(site: CodeSite, statement: SourceText, body: Body)] = sites.compactMap { site in
            let statement = SourceText(bytes: site.statement)
            guard case .functionBody(_, let language) = site.kind, let (text, offset) = SQLParser.functionBody(of: statement) else { return nil }
            return (site, statement, Body(text: text, language: language, offset: offset))
        }
        let distinct = Array(Set(bodies.map(\.body.key)))
        let resolved = Dictionary(uniqueKeysWithValues: zip(distinct, distinct.concurrentMap { key in relativeAccesses(key, catalog: catalog) }))
        for (site, statement, body) in bodies {
            guard case .functionBody(let function, _) = site.kind else { continue }
            for access in resolved[body.key] ?? [] {
                let location: FileLocation
                switch access.place {
                case .offset(let offset):
                    let point = site.fileLocation(of: statement.location(ofByte: body.offset + offset))
                    location = FileLocation(path: site.path, line: point.line, column: point.column, length: access.relation.name.count)
                case .line(let line):
                    // PL/pgSQL gives the statement's line in the body, not its column.
                    location = FileLocation(path: site.path, line: site.fileLocation(of: statement.location(ofByte: body.offset)).line + line - 1,
                                            column: 1)
                }
                result.append(CodeAccess(function: function, statement: nil, relation: access.relation, writes: access.writes, location: location))
            }
        }
        return result
    }

    struct Body {
        var text: String
        var language: String
        /// Offset in the statement where the body's text starts.
        var offset: Int
        var key: BodyKey { BodyKey(text: text, language: language) }
    }

    struct BodyKey: Hashable, Sendable {
        var text: String
        var language: String
    }

    struct RelativeAccess: Sendable {
        enum Place: Sendable {
            /// Byte offset in the body (SQL functions).
            case offset(Int)
            /// 1-based line in the body (PL/pgSQL statements).
            case line(Int)
        }

        var relation: ObjectName
        var writes: Bool
        var place: Place
    }

    /// What one body reads and writes, positioned within the body.
    static func relativeAccesses(_ body: BodyKey, catalog: ModelCatalog) -> [RelativeAccess] {
        var result: [RelativeAccess] = []
        if body.language == "sql" {
            for query in SQLParser.queries(in: SourceText(bytes: Array(body.text.utf8)), catalog: catalog).queries {
                for access in writesFirst(query.accesses) {
                    result.append(RelativeAccess(relation: access.relation, writes: access.kind == .write, place: .offset(access.offset)))
                }
            }
        } else {
            for embedded in flatten(SQLParser.steps(inPlpgsqlBody: body.text)) {
                for query in SQLParser.queries(in: SourceText(bytes: Array(embedded.sql.utf8)), catalog: catalog).queries {
                    for access in writesFirst(query.accesses) {
                        result.append(RelativeAccess(relation: access.relation, writes: access.kind == .write, place: .line(embedded.line)))
                    }
                }
            }
        }
        return result
    }

    /// One access per table: the write when the statement writes it, else the first read.
    static func writesFirst(_ accesses: [QueryAccess]) -> [QueryAccess] {
        var seen = Set<ObjectName>()
        let ordered = accesses.filter { $0.kind == .write } + accesses.filter { $0.kind != .write }
        return ordered.filter { seen.insert($0.relation).inserted }
    }

    static func flatten(_ steps: [EmbeddedStep]) -> [EmbeddedStatement] {
        steps.flatMap { step -> [EmbeddedStatement] in
            switch step {
            case .statement(let statement): [statement]
            case .choice(let alternatives): alternatives.flatMap(flatten)
            }
        }
    }
}
