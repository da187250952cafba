/// What a service's query touches, resolved against a schema (`SQLParser.queries(in:catalog:)`).
public struct Query: Sendable {
    /// sqlc's `-- name: GetUser :one` annotation, when the file has one for this statement.
    public var name: String?
    /// The sqlc command (`:one`, `:many`, `:exec`, …) of the annotation.
    public var command: String?
    /// Byte range of the statement in its file.
    public var range: Range<Int>
    /// Every table and column the statement reads or writes, in the order they appear.
    public var accesses: [QueryAccess]
    /// What PostgreSQL would reject against the schema (a missing table or column).
    public var problems: [QueryProblem]
    /// The statement is not a query Steward reads (DDL, a utility statement): nothing was resolved.
    public var isUnsupported: Bool
}

public struct QueryAccess: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable { case read, write }
    /// The relation as the catalog resolved it (schema-qualified).
    public var relation: ObjectName
    /// nil: the relation as a whole (`FROM t`, `DELETE FROM t`, `count(*)`).
    public var column: String?
    public var kind: Kind
    /// Byte offset in the file of the reference.
    public var offset: Int
}

public struct QueryProblem: Sendable, Hashable {
    public var message: String
    public var offset: Int
}

/// A relation as a schema knows it.
public struct CatalogRelation: Sendable {
    public var name: ObjectName
    /// Column names in order; nil when they are not known (a view), so any column is accepted.
    public var columns: [String]?

    public init(name: ObjectName, columns: [String]?) {
        self.name = name
        self.columns = columns
    }
}

/// The schema queries are resolved against: a name as written (maybe unqualified) to the
/// relation the search path finds.
public protocol QueryCatalog: Sendable {
    func relation(named name: ObjectName) -> CatalogRelation?
}

/// A malformed sqlc annotation (`-- name:` without a name or command).
public struct AnnotationProblem: Sendable, Hashable {
    public var message: String
    public var offset: Int
}

/// The queries of one file, or the reason the file could not be read as queries.
public struct QueryFile: Sendable {
    public var queries: [Query]
    public var syntaxErrors: [SyntaxError]
    public var annotationProblems: [AnnotationProblem]
}
