import StewardSQL

/// One comparable fact about a schema ("column public.users.email: character varying(255) not
/// null"), read from the replayed model (`SchemaFacts.of`) or from a live catalog (StewardLive's
/// `CatalogReader`). Two sides agree when they hold the same facts; `SchemaDrift` compares them.
public struct SchemaFact: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        case schema, table, column, key, foreignKey = "foreign key", check, columnDefault = "default", generated
        case index, view, viewQuery = "view query", sequence, type, function, trigger, comment, privilege
        /// Partitions no migration creates of a partitioned table one does (`SchemaDrift` only).
        case runtimePartitions = "partitions"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind
    /// What the fact is about, unique per kind: `public.users`, `public.users.email`,
    /// `public.users users_pkey`, `public.users to web_rw`.
    public var object: String
    /// The relation, type or schema it belongs to: whose owner answers for it, and what a
    /// missing table's own facts are folded into.
    public var relation: ObjectName
    public var value: FactValue
    /// Where a migration created it (model side only).
    public var origin: Origin?
    /// For a table that is a partition: its partitioned table.
    public var partitionOf: ObjectName?

    public init(_ kind: Kind, _ object: String, relation: ObjectName, value: FactValue, origin: Origin? = nil) {
        self.kind = kind
        self.object = object
        self.relation = relation
        self.value = value
        self.origin = origin
    }

    public init(_ kind: Kind, _ object: String, relation: ObjectName, _ text: String, origin: Origin? = nil) {
        self.init(kind, object, relation: relation, value: FactValue([.text(text)]), origin: origin)
    }

    /// The identity two sides are matched on.
    public var key: FactKey { FactKey(kind: kind, object: object) }

    public static func == (lhs: SchemaFact, rhs: SchemaFact) -> Bool { lhs.key == rhs.key && lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(key); hasher.combine(value) }
}

public struct FactKey: Hashable, Sendable, Comparable {
    public var kind: SchemaFact.Kind
    public var object: String

    public static func < (lhs: FactKey, rhs: FactKey) -> Bool { (lhs.object, lhs.kind) < (rhs.object, rhs.kind) }
}

/// A fact's value: text, with the expressions in it kept apart so that each side's can be
/// normalised by PostgreSQL before comparing (`ExpressionNormalizer`): `(1 + 2) * 3` written in
/// a migration and `((1 + 2) * 3)` printed by `pg_get_expr` are the same default.
public struct FactValue: Hashable, Sendable {
    public enum Part: Hashable, Sendable {
        case text(String)
        /// An expression and the context PostgreSQL needs to analyse it; `normalized` is its
        /// text once PostgreSQL has analysed and printed it (nil: compared as written).
        case expression(String, ExpressionContext, normalized: String?)
    }

    public var parts: [Part]

    public init(_ parts: [Part]) { self.parts = parts }

    /// As a person reads it: the expressions as written (model) or printed (catalog).
    public var text: String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .expression(let text, _, _): text
            }
        }.joined()
    }

    /// What the two sides are compared on: normalised expressions where there are some.
    public var comparable: String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .expression(let text, _, let normalized): normalized ?? text
            }
        }.joined()
    }

    public var expressions: [(text: String, context: ExpressionContext)] {
        parts.compactMap { part in
            if case .expression(let text, let context, _) = part { (text, context) } else { nil }
        }
    }

    public static func == (lhs: FactValue, rhs: FactValue) -> Bool { lhs.comparable == rhs.comparable }
    public func hash(into hasher: inout Hasher) { hasher.combine(comparable) }
}

/// What PostgreSQL needs to analyse an expression: the relation whose columns it reads, and the
/// type it is assigned to (a default is coerced to its column's type), or a whole query.
public enum ExpressionContext: Hashable, Sendable {
    case scalar(relation: ObjectName, castTo: String?)
    case query
}
