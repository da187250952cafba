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
    /// The statement's byte range in its file.
    public var range: Range<Int>
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
    /// The data statements the replay recorded, and every owned function's body resolved
    /// against the replayed schema with the query resolver (the same one the services' query
    /// files go through). Resolved when asked (the rules that need it may be off).
    public static func accesses(_ model: SchemaModel, migrations: MigrationSet) -> [CodeAccess] {
        var result = model.codeAccesses
        // Only a function some service owns can depend on another service's table.
        let owned = Set(model.functions.values.filter { $0.owner != nil }.map(\.name))
        let sites = model.codeSites.filter { site in
            if case .functionBody(let name, _) = site.kind { return owned.contains(name) }
            return false
        }
        guard !sites.isEmpty else { return result }
        let catalog = ModelCatalog(model: model)
        let paths = Set(sites.map(\.path))
        let sources = Dictionary(migrations.files.filter { paths.contains($0.path) }.map { ($0.path, $0.source) }, uniquingKeysWith: { first, _ in first })
        result += sites.concurrentMap { site in accesses(of: site, file: sources[site.path], catalog: catalog) }.joined()
        return result
    }

    static func accesses(of site: CodeSite, file: SourceText?, catalog: ModelCatalog) -> [CodeAccess] {
        guard let file, site.range.upperBound <= file.bytes.count, case .functionBody(let function, let language) = site.kind,
              let (body, bodyOffset) = SQLParser.functionBody(of: SourceText(bytes: Array(file.bytes[site.range]))) else { return [] }
        func location(_ fileOffset: Int, length: Int) -> FileLocation {
            let point = file.location(ofByte: fileOffset)
            return FileLocation(path: site.path, line: point.line, column: point.column, length: length)
        }
        var result: [CodeAccess] = []
        let bodyStart = site.range.lowerBound + bodyOffset
        if language == "sql" {
            for query in SQLParser.queries(in: SourceText(bytes: Array(body.utf8)), catalog: catalog).queries {
                for access in writesFirst(query.accesses) {
                    result.append(CodeAccess(function: function, statement: nil, relation: access.relation, writes: access.kind == .write,
                                             location: location(bodyStart + access.offset, length: access.relation.name.count)))
                }
            }
        } else {
            let firstLine = file.location(ofByte: bodyStart).line
            for embedded in flatten(SQLParser.steps(inPlpgsqlBody: body)) {
                for query in SQLParser.queries(in: SourceText(bytes: Array(embedded.sql.utf8)), catalog: catalog).queries {
                    for access in writesFirst(query.accesses) {
                        // PL/pgSQL gives the statement's line in the body, not its column.
                        result.append(CodeAccess(function: function, statement: nil, relation: access.relation, writes: access.kind == .write,
                                                 location: FileLocation(path: site.path, line: firstLine + embedded.line - 1, column: 1)))
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
