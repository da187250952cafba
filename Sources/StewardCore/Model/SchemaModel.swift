import Foundation
import StewardSQL

/// Where an object was created (or last changed): migration file and position.
/// Every column, constraint and table of the model has one: the line and column are held in 32
/// bits, as in `FileLocation`, and the path is a reference to the one copy the replay keeps per
/// file (16 bytes an origin instead of 24).
public struct Origin: Codable, Sendable, Hashable {
    private var file: Shared<String>
    @Int32Clamped public var line: Int
    @Int32Clamped public var column: Int

    public var path: String {
        get { file.value }
        set { file = Shared(newValue) }
    }

    public init(path: String, line: Int, column: Int) {
        self.init(file: Shared(path), line: line, column: column)
    }

    /// An origin in a file whose path other origins share (`SchemaReplayer.origin`).
    init(file: Shared<String>, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var fileLocation: FileLocation { FileLocation(path: path, line: line, column: column) }

    /// The path, as the origins and changes of the file share it.
    var sharedPath: Shared<String> { file }

    private enum CodingKeys: String, CodingKey { case path, line, column }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(path: container.decode(String.self, forKey: .path), line: container.decode(Int.self, forKey: .line),
                      column: container.decode(Int.self, forKey: .column))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }

    public static func == (lhs: Origin, rhs: Origin) -> Bool {
        lhs.line == rhs.line && lhs.column == rhs.column && (lhs.file === rhs.file || lhs.path == rhs.path)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(line)
        hasher.combine(column)
    }
}

public struct Column: Encodable, Sendable {
    public var name: String
    /// As `format_type` prints it, e.g. `character varying(255)`.
    public var type: String
    public var notNull: Bool
    public var defaultExpression: String?
    public var origin: Origin
    /// What few columns have (an identity, a generated expression, a comment, a changed
    /// type…), out of line: a 100k-statement corpus holds ~50k columns, and these fields would
    /// double the size of each.
    private var details: Details?

    /// The default is a string constant or NULL: Postgres types it by the column when it is
    /// stored, and keeps that type when the column's type changes later.
    public var defaultIsUntypedLiteral: Bool {
        get { details?.defaultIsUntypedLiteral ?? false }
        set { update { $0.defaultIsUntypedLiteral = newValue } }
    }
    public var identity: String? {
        get { details?.identity }
        set { update { $0.identity = newValue } }
    }
    /// The expression of a generated column, with its column names located to follow renames.
    public var trackedGenerated: RenderedExpression? {
        get { details?.trackedGenerated }
        set { update { $0.trackedGenerated = newValue } }
    }
    public var generated: String? { trackedGenerated?.text }
    public var comment: String? {
        get { details?.comment }
        set { update { $0.comment = newValue } }
    }
    /// Where the type was last changed (`ALTER COLUMN … TYPE`); nil: as created.
    public var typeOrigin: Origin? {
        get { details?.typeOrigin }
        set { update { $0.typeOrigin = newValue } }
    }

    public init(name: String, type: String, notNull: Bool, defaultExpression: String?, defaultIsUntypedLiteral: Bool = false,
                identity: String?, trackedGenerated: RenderedExpression?, comment: String?, origin: Origin, typeOrigin: Origin? = nil) {
        self.name = name
        self.type = type
        self.notNull = notNull
        self.defaultExpression = defaultExpression
        self.origin = origin
        let details = Details(defaultIsUntypedLiteral: defaultIsUntypedLiteral, identity: identity, trackedGenerated: trackedGenerated,
                              comment: comment, typeOrigin: typeOrigin)
        self.details = details.isEmpty ? nil : details
    }

    /// Changes the out-of-line fields: a new box each time (boxes are shared between copies),
    /// none when every field is back to its default.
    private mutating func update(_ change: (inout Details.Fields) -> Void) {
        var fields = details?.fields ?? Details.Fields()
        change(&fields)
        let updated = Details(fields)
        details = updated.isEmpty ? nil : updated
    }

    /// The out-of-line fields. Immutable, so copies of a column can share it.
    private final class Details: Sendable {
        struct Fields {
            var defaultIsUntypedLiteral = false
            var identity: String?
            var trackedGenerated: RenderedExpression?
            var comment: String?
            var typeOrigin: Origin?
        }

        let fields: Fields
        var defaultIsUntypedLiteral: Bool { fields.defaultIsUntypedLiteral }
        var identity: String? { fields.identity }
        var trackedGenerated: RenderedExpression? { fields.trackedGenerated }
        var comment: String? { fields.comment }
        var typeOrigin: Origin? { fields.typeOrigin }
        var isEmpty: Bool { !defaultIsUntypedLiteral && identity == nil && trackedGenerated == nil && comment == nil && typeOrigin == nil }

        init(_ fields: Fields) { self.fields = fields }

        convenience init(defaultIsUntypedLiteral: Bool, identity: String?, trackedGenerated: RenderedExpression?, comment: String?,
                         typeOrigin: Origin?) {
            self.init(Fields(defaultIsUntypedLiteral: defaultIsUntypedLiteral, identity: identity, trackedGenerated: trackedGenerated,
                             comment: comment, typeOrigin: typeOrigin))
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, type, notNull, defaultExpression, identity, generated, comment, origin
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(notNull, forKey: .notNull)
        try container.encodeIfPresent(defaultExpression, forKey: .defaultExpression)
        try container.encodeIfPresent(identity, forKey: .identity)
        try container.encodeIfPresent(generated, forKey: .generated)
        try container.encodeIfPresent(comment, forKey: .comment)
        try container.encode(origin, forKey: .origin)
    }
}

public struct ForeignKeyTarget: Codable, Sendable, Hashable {
    public var table: ObjectName
    public var columns: [String]
    public var onDelete: ReferentialAction
    public var onUpdate: ReferentialAction

    public init(table: ObjectName, columns: [String], onDelete: ReferentialAction, onUpdate: ReferentialAction) {
        self.table = table
        self.columns = columns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
    }
}

public struct Constraint: Codable, Sendable {
    public var name: String
    public var kind: ConstraintDefinition.Kind
    public var columns: [String]
    public var references: ForeignKeyTarget?
    /// A CHECK expression, with its column names located to follow renames.
    public var trackedExpression: RenderedExpression?
    public var expression: String? { trackedExpression?.text }
    /// Columns read by a CHECK expression (dropped with any of them).
    public var expressionColumns: [String]
    public var validated: Bool
    /// Cloned from a partitioned parent (Postgres keeps the parent's name).
    public var inherited: Bool
    public var origin: Origin
    /// For foreign keys: the `REFERENCES` clause, where a finding should point.
    public var referencesOrigin: Origin?
    /// Set when a column the CHECK expression reads was renamed afterwards and the text could
    /// not follow (part of it came from the deparser): `expression` still shows the old name.
    public var expressionPredatesRename: Bool = false
}

public struct Trigger: Codable, Sendable {
    public var name: String
    public var function: ObjectName
    public var origin: Origin
}

public struct Table: Encodable, Sendable {
    public var name: ObjectName
    public var columns: [Column]
    public var constraints: [Constraint]
    public var triggers: [Trigger]
    public var isPartitioned: Bool
    public var isUnlogged: Bool
    public var origin: Origin
    public var owner: Ownership?
    /// Privileges as GRANT and REVOKE leave them, per grantee (`PUBLIC` for everyone; the
    /// owner's implicit privileges are not listed). They go with the object when it is
    /// renamed or dropped.
    public var privileges = PrivilegeGrants()
    /// What few tables have (a comment, a parent, the tool that manages it), out of line: the
    /// model's dictionary of tables holds a table's size in every bucket, used or not (~16k
    /// buckets at 100k statements), and these fields were half of it.
    private var details: Details?

    public var comment: String? {
        get { details?.fields.comment }
        set { update { $0.comment = newValue } }
    }
    /// The `COMMENT ON TABLE` that set `comment` (nil when none did).
    public var commentOrigin: Origin? {
        get { details?.fields.commentOrigin }
        set { update { $0.commentOrigin = newValue } }
    }
    public var partitionOf: ObjectName? {
        get { details?.fields.partitionOf }
        set { update { $0.partitionOf = newValue } }
    }
    public var inheritsFrom: [ObjectName] {
        get { details?.fields.inheritsFrom ?? [] }
        set { update { $0.inheritsFrom = newValue } }
    }
    /// Set for the migration tool's own bookkeeping table (e.g. golang-migrate's schema_migrations).
    public var managedBy: String? {
        get { details?.fields.managedBy }
        set { update { $0.managedBy = newValue } }
    }

    public init(name: ObjectName, columns: [Column], constraints: [Constraint], triggers: [Trigger], comment: String? = nil,
                commentOrigin: Origin? = nil, partitionOf: ObjectName? = nil, inheritsFrom: [ObjectName] = [], isPartitioned: Bool,
                isUnlogged: Bool, origin: Origin, owner: Ownership? = nil, managedBy: String? = nil, privileges: PrivilegeGrants = PrivilegeGrants()) {
        self.name = name
        self.columns = columns
        self.constraints = constraints
        self.triggers = triggers
        self.isPartitioned = isPartitioned
        self.isUnlogged = isUnlogged
        self.origin = origin
        self.owner = owner
        self.privileges = privileges
        let details = Details(Details.Fields(comment: comment, commentOrigin: commentOrigin, partitionOf: partitionOf,
                                             inheritsFrom: inheritsFrom, managedBy: managedBy))
        self.details = details.isEmpty ? nil : details
    }

    /// Changes the out-of-line fields: a new box each time (boxes are shared between copies),
    /// none when every field is back to its default.
    private mutating func update(_ change: (inout Details.Fields) -> Void) {
        var fields = details?.fields ?? Details.Fields()
        change(&fields)
        let updated = Details(fields)
        details = updated.isEmpty ? nil : updated
    }

    /// The out-of-line fields. Immutable, so copies of a table can share it. The same pattern
    /// as `Column.Details`, written out per type on purpose: one generic box for both (a generic
    /// class, or an `indirect` enum case) was measured 20-40 ms slower over the replay and rules
    /// at 100k statements, its values read and torn down through runtime metadata.
    private final class Details: Sendable {
        struct Fields {
            var comment: String?
            var commentOrigin: Origin?
            var partitionOf: ObjectName?
            var inheritsFrom: [ObjectName] = []
            var managedBy: String?
        }

        let fields: Fields
        var isEmpty: Bool {
            fields.comment == nil && fields.commentOrigin == nil && fields.partitionOf == nil && fields.inheritsFrom.isEmpty
                && fields.managedBy == nil
        }

        init(_ fields: Fields) { self.fields = fields }
    }

    // As the synthesized encoding wrote them: optional fields only when set.
    private enum CodingKeys: String, CodingKey {
        case name, columns, constraints, triggers, comment, commentOrigin, partitionOf, inheritsFrom, isPartitioned, isUnlogged, origin
        case owner, managedBy, privileges
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(columns, forKey: .columns)
        try container.encode(constraints, forKey: .constraints)
        try container.encode(triggers, forKey: .triggers)
        try container.encodeIfPresent(comment, forKey: .comment)
        try container.encodeIfPresent(commentOrigin, forKey: .commentOrigin)
        try container.encodeIfPresent(partitionOf, forKey: .partitionOf)
        try container.encode(inheritsFrom, forKey: .inheritsFrom)
        try container.encode(isPartitioned, forKey: .isPartitioned)
        try container.encode(isUnlogged, forKey: .isUnlogged)
        try container.encode(origin, forKey: .origin)
        try container.encodeIfPresent(owner, forKey: .owner)
        try container.encodeIfPresent(managedBy, forKey: .managedBy)
        try container.encode(privileges, forKey: .privileges)
    }

    public func column(named name: String) -> Column? { columns.first { $0.name == name } }
    public func hasColumn(_ name: String) -> Bool { columns.contains { $0.name == name } }
    /// Where its foreign keys are in `constraints`, to read them in place: rules walk every
    /// table's, and iterating the constraints themselves (even through a lazy filter) copies
    /// each one, retaining every string it holds.
    public var foreignKeyIndices: LazyFilterSequence<Range<Int>> {
        let constraints = constraints
        return constraints.indices.lazy.filter { constraints[$0].kind == .foreignKey }
    }
}

/// One key of an index: a column, or an expression as rendered from the parse tree.
public struct IndexKey: Encodable, Sendable, Hashable {
    public var column: String?
    /// The expression, with its column names located to follow renames.
    public var trackedExpression: RenderedExpression?
    public var expression: String? { trackedExpression?.text }

    public init(column: String? = nil, expression: RenderedExpression? = nil) {
        self.column = column
        self.trackedExpression = expression
    }

    private enum CodingKeys: String, CodingKey { case column, expression }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(column, forKey: .column)
        try container.encodeIfPresent(expression, forKey: .expression)
    }

    /// The column name, or the expression in parentheses as `pg_get_indexdef` prints it.
    public var text: String { column.map(Identifiers.quote) ?? "(\(expression ?? ""))" }
}

public struct Index: Encodable, Sendable {
    public var name: ObjectName
    public var table: ObjectName
    public var keys: [IndexKey]
    /// Columns its key expressions and predicate read (empty for a plain column index).
    public var expressionColumns: [String]

    /// Whether the index uses `column` (Postgres drops it with the column).
    public func dependsOn(_ column: String) -> Bool { keys.contains { $0.column == column } || expressionColumns.contains(column) }
    public var unique: Bool
    public var method: String
    public var predicate: String? { trackedPredicate?.text }
    public var trackedPredicate: RenderedExpression?
    /// Set when the index implements a PRIMARY KEY / UNIQUE constraint of that name.
    public var constraint: String?
    public var origin: Origin
    /// Set when a column its expressions or predicate read was renamed afterwards and the text
    /// could not follow (part of it came from the deparser): it still shows the old name.
    public var expressionPredatesRename: Bool = false
}

public struct View: Codable, Sendable {
    public var name: ObjectName
    public var materialized: Bool
    /// Where the defining statement is, to print its query on demand
    /// (`SQLParser.viewQuery(inStatement:)`).
    public var definition: ViewDefinition?
    /// Set when a relation or column the query reads was renamed afterwards: `query` still
    /// shows the names it was written with (Postgres tracks them by identity).
    public var queryPredatesRename: Bool = false
    /// Privileges as GRANT and REVOKE leave them, per grantee (`PUBLIC` for everyone; the
    /// owner's implicit privileges are not listed). They go with the object when it is
    /// renamed or dropped.
    public var privileges = PrivilegeGrants()
    /// Relations the view reads, resolved against the search path.
    public var reads: [ObjectName]
    public var comment: String?
    public var origin: Origin
    public var owner: Ownership?
}

/// Privileges on a relation, as a bit set (Postgres's ACL bits, and as cheap to combine).
public struct Privileges: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let select = Privileges(rawValue: 1 << 0)
    public static let insert = Privileges(rawValue: 1 << 1)
    public static let update = Privileges(rawValue: 1 << 2)
    public static let delete = Privileges(rawValue: 1 << 3)
    public static let truncate = Privileges(rawValue: 1 << 4)
    public static let references = Privileges(rawValue: 1 << 5)
    public static let trigger = Privileges(rawValue: 1 << 6)
    public static let usage = Privileges(rawValue: 1 << 7)
    /// On a schema (`steward audit`); never on a relation.
    public static let create = Privileges(rawValue: 1 << 8)

    /// `ALL [PRIVILEGES]` on a table or view, and on a sequence (ACL_ALL_RIGHTS_RELATION, _SEQUENCE).
    public static let allOnTables: Privileges = [.select, .insert, .update, .delete, .truncate, .references, .trigger]
    public static let allOnSequences: Privileges = [.usage, .select, .update]

    private static let named: [(String, Privileges)] = [
        ("SELECT", .select), ("INSERT", .insert), ("UPDATE", .update), ("DELETE", .delete), ("TRUNCATE", .truncate),
        ("REFERENCES", .references), ("TRIGGER", .trigger), ("USAGE", .usage), ("CREATE", .create),
    ]

    /// From a privilege name as the parser gives it (`select`); nil for others (`create`…).
    public init?(name: String) {
        // Privilege names are ASCII keywords: an ASCII upper-casing is exact (and does not go
        // through Foundation's locale-aware comparison, once per GRANT).
        let upper = name.uppercased()
        guard let match = Self.named.first(where: { $0.0 == upper }) else { return nil }
        self = match.1
    }

    /// The names, in a fixed order (`SELECT`, `INSERT`, …).
    public var names: [String] { Self.named.filter { contains($0.1) }.map(\.0) }
}

/// Privileges per grantee on one relation: a few entries at most, so a small array (cheaper to
/// update than a dictionary when `GRANT … ON ALL TABLES IN SCHEMA` touches every table).
public struct PrivilegeGrants: Sendable, Hashable, Codable {
    public private(set) var entries: [Entry] = []

    public struct Entry: Sendable, Hashable, Codable {
        public var grantee: String
        public var privileges: Privileges
    }

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(grantee: String) -> Privileges {
        entries.first { $0.grantee == grantee }?.privileges ?? []
    }

    /// Grants (`granting`) or revokes `privileges` for `grantee`, with one search of the entries.
    public mutating func update(_ grantee: String, granting: Bool, _ privileges: Privileges) {
        if let index = entries.firstIndex(where: { $0.grantee == grantee }) {
            if granting {
                entries[index].privileges.formUnion(privileges)
            } else {
                entries[index].privileges.subtract(privileges)
                if entries[index].privileges.isEmpty { entries.remove(at: index) }
            }
        } else if granting, !privileges.isEmpty {
            entries.append(Entry(grantee: grantee, privileges: privileges))
        }
    }

    /// Grantee → privilege names, for reports.
    public var byGrantee: [String: [String]] {
        Dictionary(entries.map { ($0.grantee, $0.privileges.names) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The statement that defined a view: a byte range of its file (`origin.path`), or its text
/// when it ran inside a DO block.
public enum ViewDefinition: Codable, Sendable, Hashable {
    case inFile(start: Int, end: Int)
    case text(String)
}

/// A user-defined type: an enum, a domain or a composite type.
public struct UserType: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case enumeration = "enum", domain, composite
    }

    public var name: ObjectName
    public var kind: Kind
    /// Enum labels, in sort order.
    public var values: [String]
    /// The base type of a domain, as `format_type` prints it.
    public var domainOf: String?
    /// The attributes of a composite type, in order.
    public var attributes: [TypeAttribute]
    public var origin: Origin
    public var owner: Ownership?
}

public struct TypeAttribute: Codable, Sendable, Hashable {
    public var name: String
    /// As `format_type` prints it.
    public var type: String
}

public struct Function: Codable, Sendable {
    public var name: ObjectName
    public var argumentTypes: [String]
    public var returnType: String?
    public var language: String?
    public var isProcedure: Bool
    public var volatility: Volatility = .volatile
    public var origin: Origin
    public var owner: Ownership?

    public var signature: String { "\(name)(\(argumentTypes.joined(separator: ", ")))" }
}

/// A sequence (named so as not to shadow `Swift.Sequence`).
public struct SequenceObject: Codable, Sendable {
    public var name: ObjectName
    /// The table whose column owns it (serial, identity, `OWNED BY`): dropped with the table
    /// or the column.
    public var ownedBy: ObjectName?
    public var ownedByColumn: String?
    /// Privileges as GRANT and REVOKE leave them, per grantee (`PUBLIC` for everyone; the
    /// owner's implicit privileges are not listed). They go with the object when it is
    /// renamed or dropped.
    public var privileges = PrivilegeGrants()
    public var origin: Origin
}

public struct GrantRecord: Codable, Sendable {
    public var privileges: [String]
    public var objectKind: String
    public var objects: [ObjectName]
    public var allInSchema: Bool
    public var grantees: [String]
    public var isGrant: Bool
    public var origin: Origin
}

/// A statement that was parsed but not replayed into the model.
public struct UnmodelledStatement: Codable, Sendable {
    public var kind: String
    public var origin: Origin
}

/// Something the replay could not apply (e.g. ALTER of a table no migration created).
public struct ReplayIssue: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// The statement names an object that does not exist.
        case missingObject
        /// It creates an object that exists.
        case duplicate
        /// Other objects depend on what it drops.
        case dependents
        /// Postgres refuses it for another reason (a cycle, a table that is not partitioned…).
        case refused
    }

    public var message: String
    public var origin: Origin
    public var kind: Kind = .missingObject
    /// The last statement before this one whose effect the replay cannot see (a user
    /// function called with SELECT or CALL, CREATE TABLE AS, a DO block it could not follow):
    /// a missing object may be its work.
    public var afterOpaqueStatement: Origin?
    /// Postgres would reject the statement (the migration fails there); false for what
    /// Steward itself could not follow (a DO block nested too deep).
    public var wouldFail: Bool = true
}

/// The schema as the migrations leave it, each object mapped to its owning service.
public struct SchemaModel: Sendable {
    public var schemas: [String: Origin?] = ["public": nil]
    public var tables: [ObjectName: Table] = [:]
    public var indexes: [ObjectName: Index] = [:]
    public var views: [ObjectName: View] = [:]
    public var types: [ObjectName: UserType] = [:]
    public var functions: [String: Function] = [:]
    public var sequences: [ObjectName: SequenceObject] = [:]
    public var extensions: Set<String> = []
    public var grants: [GrantRecord] = []
    public var unmodelled: [UnmodelledStatement] = []
    public var issues: [ReplayIssue] = []
    public var gaps: [MigrationGap] = []
    /// Every table a migration ever created (also those dropped later), for stale-claim checks.
    public var everCreatedTables: Set<ObjectName> = []
    public var statementCount = 0
    /// What each statement did to objects that existed before it, in replay order.
    public var changes: [SchemaChange] = []
    /// Code the migrations install against tables: function bodies, resolved after replay
    /// (`MigrationCode.functionAccesses`).
    public var codeSites: [CodeSite] = []
    /// What the migrations' data statements (INSERT, UPDATE, DELETE, MERGE) write, as replayed.
    public var codeAccesses: [CodeAccess] = []
    public var fileStatements = FileStatementCounts()
    /// Tables renamed by a migration: new name → the names it had before, oldest first, and
    /// where each rename happened (ownership follows a renamed table).
    public var formerNames: [ObjectName: [(name: ObjectName, renamedAt: Origin)]] = [:]

    public init() {}

    public var sortedTables: [Table] { tables.values.sorted { $0.name < $1.name } }

    /// Gives each table's column and constraint arrays the size they hold. `ADD COLUMN` and
    /// `ADD CONSTRAINT` grow them by doubling, and once the replay is done that spare room
    /// (a third of the columns' memory on a large corpus) would stay through the rules.
    mutating func trimArrays() {
        func trimmed<Element>(_ array: [Element]) -> [Element]? {
            // Copied only when the spare room is more than the allocator's own rounding.
            array.capacity - array.count > max(2, array.count / 8) ? Array(unsafeUninitializedCapacity: array.count) { buffer, count in
                count = buffer.initialize(fromContentsOf: array)
            } : nil
        }
        tables.updateValues { _, table in
            if let columns = trimmed(table.columns) { table.columns = columns }
            if let constraints = trimmed(table.constraints) { table.constraints = constraints }
        }
    }
}
