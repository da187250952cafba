import StewardSQL

/// What one statement did to an object that existed before it, as the replay saw it: the
/// facts the change-safety rules read (they never walk parse trees again).
///
/// A class with constant fields: thirty rules look at every change, and passing a reference
/// costs one retain where copying the value would retain each of its strings and arrays.
public final class SchemaChange: Sendable {
    public enum Kind: Sendable {
        /// `cascaded`: what Postgres dropped along (`foreign key x on t`, `view v`).
        case dropTable(cascaded: [String])
        case dropColumn(String, cascaded: [String])
        /// `object` is the schema (its name in `object.name`).
        case dropSchema(cascaded: [String])
        case dropView(materialized: Bool, cascaded: [String])
        case dropFunction(signature: String)
        case dropIndex(concurrently: Bool)
        /// `object` is the old name.
        case renameTable(to: ObjectName)
        case renameColumn(from: String, to: String)
        /// `object` is the enum type.
        case renameEnumValue(from: String, to: String)
        case changeColumnType(String, from: String, to: String, rewrites: Bool)
        /// A column added to an existing table. `volatileDefault`: the volatile function its
        /// default calls (the table is rewritten); `identity`: an identity column (rewritten too).
        case addColumn(String, notNull: Bool, hasDefault: Bool, volatileDefault: String?,
                       storedGenerated: Bool, identity: Bool)
        /// `validatedCheck`: a validated `CHECK (column IS NOT NULL)` lets Postgres 12+ skip the scan.
        case setNotNull(String, validatedCheck: Bool)
        case dropDefault(String)
        /// The primary key's columns before (empty: none) and after (empty: dropped).
        case changePrimaryKey(from: [String], to: [String])
        /// `references`: the table a foreign key points at (it is locked too).
        case addConstraint(name: String, kind: ConstraintDefinition.Kind, notValid: Bool, usingIndex: Bool, columns: [String],
                           references: ObjectName?)
        case createIndex(name: String, unique: Bool, concurrently: Bool)
        /// REINDEX, REFRESH MATERIALIZED VIEW, VACUUM FULL, CLUSTER, TRUNCATE, LOCK.
        case tableOperation(TableOperation.Kind, concurrently: Bool)
        /// `SET LOGGED|UNLOGGED|TABLESPACE|ACCESS METHOD`.
        case rewrite(String)
        /// A setting (`object.name`) set in a migration: `statement_timeout = 0` and the like.
        case setting(value: String?, isLocal: Bool)
    }

    public let kind: Kind
    /// Inside `BEGIN … COMMIT` written in the file (not the tool's own wrapping).
    public let inExplicitTransaction: Bool
    /// How the file's tool wraps it in transactions.
    public let transactionMode: TransactionMode
    /// A `SET [LOCAL] lock_timeout` other than 0 is in effect.
    public let lockTimeoutSet: Bool
    // The fields are declared in this order so that the flags and the line fill what `kind`
    // leaves of its last word, and the names and paths are references to values the change
    // log and the model hold once (`Shared`): 136 bytes a change instead of 216, ~3.5 MB less
    // held at 100k statements, where ~52k changes name ~18k objects in ~2k files.
    private let line: Int32
    private let objectName: Shared<ObjectName>
    private let tableName: Shared<ObjectName>?
    private let file: Shared<String>
    private let creatingFile: Shared<String>?
    /// Objects of the schema that depend on the changed one at this point (breaking changes
    /// only): foreign keys, views, triggers, grants.
    public let dependents: [Dependent]
    private let column: Int32
    private let length: Int32

    /// The object changed: a table (for column and constraint changes, its table), view,
    /// function, index, enum type or schema.
    public var object: ObjectName { objectName.value }
    /// The table whose lock the statement takes (for an index: its table); nil when none.
    public var table: ObjectName? { tableName?.value }
    public var location: FileLocation { FileLocation(path: file.value, line: Int(line), column: Int(column), length: Int(length)) }
    /// The file that created `table` (or the object), nil when no migration did.
    public var createdIn: String? { creatingFile?.value }

    public convenience init(kind: Kind, object: ObjectName, table: ObjectName?, location: FileLocation, createdIn: String?,
                            inExplicitTransaction: Bool, transactionMode: TransactionMode, lockTimeoutSet: Bool, dependents: [Dependent]) {
        self.init(kind: kind, object: Shared(object), table: table.map(Shared.init), file: Shared(location.path), line: location.line,
                  column: location.column, length: location.length, createdIn: createdIn.map(Shared.init),
                  inExplicitTransaction: inExplicitTransaction, transactionMode: transactionMode, lockTimeoutSet: lockTimeoutSet,
                  dependents: dependents)
    }

    /// A change whose names and paths are shared with other changes (`SchemaReplayer.record`).
    init(kind: Kind, object: Shared<ObjectName>, table: Shared<ObjectName>?, file: Shared<String>, line: Int, column: Int, length: Int,
         createdIn: Shared<String>?, inExplicitTransaction: Bool, transactionMode: TransactionMode, lockTimeoutSet: Bool,
         dependents: [Dependent]) {
        self.kind = kind
        self.inExplicitTransaction = inExplicitTransaction
        self.transactionMode = transactionMode
        self.lockTimeoutSet = lockTimeoutSet
        self.line = Int32(clamping: line)
        objectName = object
        tableName = table
        self.file = file
        creatingFile = createdIn
        self.dependents = dependents
        self.column = Int32(clamping: column)
        self.length = Int32(clamping: max(1, length))
    }

    /// The object was created earlier in the same file: it is new, and empty (lock rules are silent).
    public var isOnObjectCreatedInSameFile: Bool { creatingFile.map { $0 === file || $0.value == file.value } ?? false }
}


extension SchemaChange.Kind {
    /// A kind of change without its facts: what a `ChangeRule` says it reads.
    public enum Tag: Int, Sendable, CaseIterable {
        case dropTable, dropColumn, dropSchema, dropView, dropFunction, dropIndex
        case renameTable, renameColumn, renameEnumValue
        case changeColumnType, addColumn, setNotNull, dropDefault, changePrimaryKey, addConstraint, createIndex
        case tableOperation, rewrite, setting
    }

    public var tag: Tag {
        switch self {
        case .dropTable: .dropTable
        case .dropColumn: .dropColumn
        case .dropSchema: .dropSchema
        case .dropView: .dropView
        case .dropFunction: .dropFunction
        case .dropIndex: .dropIndex
        case .renameTable: .renameTable
        case .renameColumn: .renameColumn
        case .renameEnumValue: .renameEnumValue
        case .changeColumnType: .changeColumnType
        case .addColumn: .addColumn
        case .setNotNull: .setNotNull
        case .dropDefault: .dropDefault
        case .changePrimaryKey: .changePrimaryKey
        case .addConstraint: .addConstraint
        case .createIndex: .createIndex
        case .tableOperation: .tableOperation
        case .rewrite: .rewrite
        case .setting: .setting
        }
    }
}

/// Where each kind of change is in a change log, so that a rule reads only the changes it
/// can flag: thirty rules each reading all of a large log (150k changes at 100k statements)
/// was most of what they cost.
public struct ChangeLogIndex: Sendable {
    /// Positions in the log, ascending, by `Tag.rawValue`.
    private let positions: [[Int]]
    /// The length of the log indexed.
    public let count: Int

    public init(_ changes: [SchemaChange]) {
        var positions = Array(repeating: [Int](), count: SchemaChange.Kind.Tag.allCases.count)
        for index in changes.indices { positions[changes[index].kind.tag.rawValue].append(index) }
        self.positions = positions
        count = changes.count
    }

    /// The positions of the changes of these kinds, in log order.
    public func positions(of tags: [SchemaChange.Kind.Tag]) -> [Int] {
        guard tags.count > 1 else { return tags.first.map { positions[$0.rawValue] } ?? [] }
        return Set(tags).flatMap { positions[$0.rawValue] }.sorted()
    }
}

/// An object that depends on another: what a breaking change would break.
public struct Dependent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case foreignKey = "foreign key", view, trigger, grant, column
        /// A table that inherits from it (partitions are dropped along; children are not).
        case inheritance
    }

    public var kind: Kind
    /// The dependent object: the table holding the foreign key, the view, the table whose
    /// trigger calls the function, the table of a column of the type; for a grant, the granted object.
    public var object: ObjectName
    /// The constraint or trigger name, or the role granted to.
    public var detail: String

    public var description: String {
        switch kind {
        case .foreignKey: "foreign key \(detail) on \(object.display)"
        case .view: "view \(object.display)"
        case .trigger: "trigger \(detail) on \(object.display)"
        case .grant: "privileges of role \(detail)"
        case .column: "column \(object.display).\(detail)"
        case .inheritance: "table \(object.display) (it inherits from this one)"
        }
    }
}

/// Statements per file, for transaction rules: golang-migrate and friends send a whole file
/// as one query, which Postgres runs as one implicit transaction when it holds more than one
/// statement.
public struct FileStatementCounts: Sendable {
    public var statements: [String: Int] = [:]
    /// Statements Postgres refuses inside a transaction block (`CREATE INDEX CONCURRENTLY`…).
    public var nonTransactional: [String: Int] = [:]
}

extension Constraint {
    /// A CHECK that is exactly `column IS NOT NULL`: once validated, Postgres 12+ uses it to
    /// skip the full-table scan of `SET NOT NULL`.
    public func provesNotNull(_ column: String) -> Bool {
        kind == .check && expression == "\(Identifiers.quote(column)) IS NOT NULL"
    }
}
