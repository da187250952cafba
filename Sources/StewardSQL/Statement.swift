/// Typed Swift values for the PostgreSQL statements Steward models. Anything else
/// is kept as `.other` with its parse-node name, so nothing silently disappears.

/// A possibly schema-qualified object name as written in the SQL (identifiers already
/// case-folded by the Postgres parser).
public struct ObjectName: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    public init(schema: String? = nil, name: String) {
        self.schema = schema
        self.name = name
    }

    public var description: String { schema.map { "\($0).\(name)" } ?? name }

    /// The name with its schema: an unqualified name is in `public`, as on the default search path.
    public var qualified: ObjectName { schema == nil ? ObjectName(schema: "public", name: name) : self }

    /// The name as SQL, each part quoted as `quote_ident` does.
    public var quotedSQL: String { (schema.map { Identifiers.quote($0) + "." } ?? "") + Identifiers.quote(name) }

    /// The name alone: schemas repeat across almost every key (`public`), so hashing them
    /// costs time without spreading keys; equality still compares both.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public static func < (lhs: ObjectName, rhs: ObjectName) -> Bool {
        (lhs.schema ?? "", lhs.name) < (rhs.schema ?? "", rhs.name)
    }
}

/// One statement of a file: what it is, and the byte range it covers in that file.
public struct ParsedStatement: Sendable {
    public var statement: Statement
    /// Byte range of the statement text in its file (first token to the end, without `;`).
    public var range: Range<Int>

    public init(statement: Statement, range: Range<Int>) {
        self.statement = statement
        self.range = range
    }
}

public indirect enum Statement: Sendable {
    case createTable(CreateTable)
    case alterTable(AlterTable)
    case createIndex(CreateIndex)
    case drop(Drop)
    case rename(Rename)
    case createView(CreateView)
    case createEnum(CreateEnum)
    case createCompositeType(CreateCompositeType)
    case alterEnum(AlterEnum)
    case createDomain(CreateDomain)
    case createFunction(CreateFunction)
    case createTrigger(CreateTrigger)
    case comment(Comment)
    case grant(Grant)
    case createSchema(CreateSchema)
    case setSearchPath(SetSearchPath)
    case alterObjectSchema(AlterObjectSchema)
    case createSequence(CreateSequence)
    case alterSequence(AlterSequence)
    case createExtension(name: String)
    case transaction(TransactionKind)
    /// `SET [LOCAL] name …` / `RESET name` of a setting other than search_path (lock_timeout,
    /// statement_timeout: what the lock rules read).
    case setVariable(SetVariable)
    /// Maintenance and data statements that take table locks: REINDEX, REFRESH MATERIALIZED
    /// VIEW, VACUUM, CLUSTER, TRUNCATE, LOCK.
    case tableOperation(TableOperation)
    /// `DO $$ … $$`: the body, whose embedded statements the replay can follow.
    case doBlock(DoBlock)
    /// `SELECT …` / `CALL …` (named by `kind`), with the functions it calls: a user function
    /// called from a migration may create or change objects the replay cannot see.
    case invocation(kind: String, functions: [ObjectName])
    /// `CREATE TABLE … AS` / `SELECT … INTO`: a table whose columns come from a query (not modelled).
    case createTableAs(name: ObjectName, temporary: Bool)
    /// INSERT, UPDATE, DELETE or MERGE run by the migration itself: the table it writes.
    case dataChange(DataChange)
    /// A statement the model does not replay, named after its parse node (e.g. `InsertStmt`).
    case other(kind: String)

    /// Postgres refuses it inside a transaction block (SQLSTATE 25001): `CREATE INDEX
    /// CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY`, `VACUUM`.
    public var refusesTransactionBlock: Bool {
        switch self {
        case .createIndex(let create): create.concurrently
        case .drop(let drop): drop.concurrently
        case .tableOperation(let operation): operation.kind.refusesTransactionBlock(concurrently: operation.concurrently)
        default: false
        }
    }

    /// The parse-node name, for counting what the model did not replay.
    public var kindName: String {
        switch self {
        case .createTable: "CreateStmt"
        case .alterTable: "AlterTableStmt"
        case .createIndex: "IndexStmt"
        case .drop: "DropStmt"
        case .rename: "RenameStmt"
        case .createView(let view): view.materialized ? "CreateTableAsStmt" : "ViewStmt"
        case .createEnum: "CreateEnumStmt"
        case .createCompositeType: "CompositeTypeStmt"
        case .alterEnum: "AlterEnumStmt"
        case .createDomain: "CreateDomainStmt"
        case .createFunction: "CreateFunctionStmt"
        case .createTrigger: "CreateTrigStmt"
        case .comment: "CommentStmt"
        case .grant: "GrantStmt"
        case .createSchema: "CreateSchemaStmt"
        case .setSearchPath: "VariableSetStmt"
        case .alterObjectSchema: "AlterObjectSchemaStmt"
        case .createSequence: "CreateSeqStmt"
        case .alterSequence: "AlterSeqStmt"
        case .createExtension: "CreateExtensionStmt"
        case .transaction: "TransactionStmt"
        case .setVariable: "VariableSetStmt"
        case .tableOperation(let operation): operation.kind.nodeName
        case .doBlock: "DoStmt"
        case .invocation(let kind, _): kind
        case .createTableAs: "CreateTableAsStmt"
        case .dataChange(let change): change.kind
        case .other(let kind): kind
        }
    }
}

/// A column's type, rendered the way Postgres's `format_type` prints it.
public struct DataType: Hashable, Sendable, Codable, CustomStringConvertible {
    /// e.g. `character varying(255)`, `timestamp(3) without time zone`, `"TaskStatus"[]`.
    public var formatted: String
    /// `serial`, `bigserial`, `smallserial`: an integer column with a sequence default and NOT NULL.
    public var isSerial: Bool
    /// Set when the base type is not a built-in, so it can be resolved against user types.
    public var userType: ObjectName?
    public var arrayDimensions: Int
    /// The type without its modifiers, e.g. `character varying` for `character varying(16)`:
    /// the type of a constant of this type (`'en'::character varying`).
    public var unmodified: String

    public init(formatted: String, isSerial: Bool = false, userType: ObjectName? = nil, arrayDimensions: Int = 0, unmodified: String? = nil) {
        self.formatted = formatted
        self.isSerial = isSerial
        self.userType = userType
        self.arrayDimensions = arrayDimensions
        self.unmodified = unmodified ?? formatted
    }

    public var description: String { formatted }
}

public enum ReferentialAction: String, Sendable, Codable {
    case noAction = "NO ACTION", restrict = "RESTRICT", cascade = "CASCADE", setNull = "SET NULL", setDefault = "SET DEFAULT"

    /// Decodes the one-letter codes of `pg_constraint.confdeltype` that libpg_query also uses.
    public init(code: String) {
        switch code {
        case "r": self = .restrict
        case "c": self = .cascade
        case "n": self = .setNull
        case "d": self = .setDefault
        default: self = .noAction
        }
    }
}

public struct ForeignKeyReference: Hashable, Sendable {
    public var table: ObjectName
    public var columns: [String]
    public var onDelete: ReferentialAction
    public var onUpdate: ReferentialAction
    /// Byte offset of the `REFERENCES` keyword (falls back to the referenced table's name).
    public var referencesOffset: Int
}

public struct ConstraintDefinition: Sendable {
    public enum Kind: String, Sendable, Codable {
        case primaryKey = "primary key", unique, check, foreignKey = "foreign key", exclusion
    }

    public var kind: Kind
    public var name: String?
    /// Constrained columns; empty for an inline column constraint until the column is known.
    public var columns: [String]
    public var foreignKey: ForeignKeyReference?
    /// Rendered CHECK expression.
    public var expression: String?
    /// The same, with its column names located (for renames).
    public var trackedExpression: RenderedExpression?
    /// Columns the CHECK expression reads (Postgres uses them to name the constraint).
    public var expressionColumns: [String]
    /// `NOT VALID`: existing rows are not checked.
    public var notValid: Bool
    /// `UNIQUE USING INDEX name` / `PRIMARY KEY USING INDEX name`.
    public var usingIndex: String?
    public var deferrable: Bool
    public var offset: Int

    public init(kind: Kind, name: String? = nil, columns: [String], foreignKey: ForeignKeyReference? = nil,
                expression: RenderedExpression? = nil, expressionColumns: [String] = [], notValid: Bool = false,
                usingIndex: String? = nil, deferrable: Bool = false, offset: Int = 0) {
        self.kind = kind
        self.name = name
        self.columns = columns
        self.foreignKey = foreignKey
        self.expression = expression?.text
        self.trackedExpression = expression
        self.expressionColumns = expressionColumns
        self.notValid = notValid
        self.usingIndex = usingIndex
        self.deferrable = deferrable
        self.offset = offset
    }
}

public struct ColumnDefinition: Sendable {
    public var name: String
    public var type: DataType
    public var notNull: Bool
    public var defaultExpression: String?
    /// The default is a string constant or NULL, typed by the column (see `Column`).
    public var defaultIsUntypedLiteral: Bool
    /// The default is the NULL constant (Postgres may not store it at all).
    public var defaultIsNull: Bool
    /// `always` or `by default` for identity columns.
    public var identity: String?
    /// Expression of a `GENERATED ALWAYS AS (…) STORED` column.
    public var generated: RenderedExpression?
    public var constraints: [ConstraintDefinition]
    public var offset: Int
    /// Functions the default expression calls (their volatility decides whether adding the
    /// column rewrites the table).
    public var defaultCalls: [ObjectName] = []
}

public struct CreateTable: Sendable {
    public var name: ObjectName
    public var ifNotExists: Bool
    public var columns: [ColumnDefinition]
    public var constraints: [ConstraintDefinition]
    /// `PARTITION OF parent`: columns come from the parent.
    public var partitionOf: ObjectName?
    public var inherits: [ObjectName]
    public var isPartitioned: Bool
    /// `CREATE TABLE … (LIKE other INCLUDING …)` sources.
    public var likeTables: [ObjectName]
    public var isTemporary: Bool
    public var isUnlogged: Bool
    public var offset: Int
}

public enum AlterTableAction: Sendable {
    case addColumn(ColumnDefinition, ifNotExists: Bool)
    case dropColumn(name: String, ifExists: Bool, cascade: Bool)
    case alterColumnType(column: String, type: DataType, hasUsing: Bool)
    /// `SET LOGGED`, `SET UNLOGGED`, `SET TABLESPACE`, `SET ACCESS METHOD`: the table is rewritten.
    case rewrite(String)
    case setNotNull(column: String)
    case dropNotNull(column: String)
    case setDefault(column: String, expression: String, untypedLiteral: Bool, isNull: Bool)
    case dropDefault(column: String)
    case addConstraint(ConstraintDefinition)
    case dropConstraint(name: String, ifExists: Bool, cascade: Bool)
    case validateConstraint(name: String)
    case addIdentity(column: String, kind: String)
    case dropIdentity(column: String)
    case dropExpression(column: String)
    case attachPartition(ObjectName)
    case detachPartition(ObjectName)
    /// `INHERIT parent` / `NO INHERIT parent`.
    case inherit(ObjectName)
    case noInherit(ObjectName)
    case changeOwner(role: String)
    /// Any other ALTER TABLE subcommand, named after libpg_query's `AlterTableType`.
    case other(String)
}

public enum RelationKind: String, Sendable, Codable {
    case table, view, materializedView = "materialized view", index, sequence, foreignTable = "foreign table", type
}

public struct AlterTable: Sendable {
    public var name: ObjectName
    public var relationKind: RelationKind
    public var ifExists: Bool
    public var actions: [AlterTableAction]
    public var offset: Int
}

public struct IndexColumn: Hashable, Sendable {
    /// Column name, or nil for an expression.
    public var column: String?
    /// Rendered expression, for expression indexes.
    public var expression: RenderedExpression?
    /// Name Postgres uses for the column when it generates an index name (`FigureIndexColname`).
    public var nameForGeneratedName: String
}

public struct CreateIndex: Sendable {
    public var name: String?
    public var table: ObjectName
    public var unique: Bool
    public var concurrently: Bool
    public var ifNotExists: Bool
    public var method: String
    public var columns: [IndexColumn]
    public var predicate: RenderedExpression?
    /// Columns read by the key expressions and the predicate.
    public var expressionColumns: [String]
    public var offset: Int
}

public enum DropTarget: Sendable {
    case table, view, materializedView, index, type, domain, sequence, schema, function, procedure, `extension`
    case trigger(table: ObjectName)
    case other(String)
}

public struct Drop: Sendable {
    public var target: DropTarget
    public var names: [ObjectName]
    public var ifExists: Bool
    public var cascade: Bool
    public var concurrently: Bool
}

public struct Rename: Sendable {
    public enum Target: Sendable {
        case table, view, materializedView, index, sequence, type, schema, function
        case column(relation: ObjectName)
        case constraint(relation: ObjectName)
        case trigger(relation: ObjectName)
        case other(String)
    }

    public var target: Target
    /// The renamed object (for column/constraint renames: the relation).
    public var object: ObjectName
    public var oldName: String
    public var newName: String
    public var ifExists: Bool
}

public struct CreateView: Sendable {
    public var name: ObjectName
    public var materialized: Bool
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// Relations read by the view's query (CTE names removed).
    public var reads: [ObjectName]
    public var offset: Int
}

public struct CreateEnum: Sendable {
    public var name: ObjectName
    public var values: [String]
}

/// `CREATE TYPE name AS (attribute type, …)`.
public struct CreateCompositeType: Sendable {
    public var name: ObjectName
    public var attributes: [(name: String, type: DataType)]
}

public struct AlterEnum: Sendable {
    public var name: ObjectName
    public var addedValue: String?
    /// `ADD VALUE x BEFORE|AFTER neighbor`.
    public var neighbor: String?
    public var addedAfterNeighbor: Bool
    public var renamedValue: (from: String, to: String)?
}

public struct CreateDomain: Sendable {
    public var name: ObjectName
    public var baseType: DataType
}

public struct CreateFunction: Sendable {
    public var name: ObjectName
    public var argumentTypes: [String]
    public var returnType: String?
    public var language: String?
    public var orReplace: Bool
    public var isProcedure: Bool
    /// `IMMUTABLE`, `STABLE` or `VOLATILE` (Postgres's default).
    public var volatility: Volatility = .volatile

    /// What the function returns as `pg_get_function_result` prints it: `TABLE(a integer, b text)`
    /// for RETURNS TABLE, `SETOF t`, the single OUT parameter's type, `record` for several, and
    /// nil for a procedure. Types lose their modifiers, as PostgreSQL stores them.
    public static func resultType(declared: (type: String, setOf: Bool)?, outputs: [(name: String, type: String, table: Bool)],
                                  isProcedure: Bool) -> String? {
        guard !isProcedure else { return nil }
        let table = outputs.filter(\.table)
        if !table.isEmpty { return "TABLE(" + table.map { Identifiers.quote($0.name) + " " + $0.type }.joined(separator: ", ") + ")" }
        if let declared { return (declared.setOf ? "SETOF " : "") + declared.type }
        if outputs.count == 1 { return outputs[0].type }
        return outputs.isEmpty ? nil : "record"
    }
}

public enum Volatility: String, Sendable, Codable {
    case immutable, stable, volatile
}

public struct CreateTrigger: Sendable {
    public var name: String
    public var table: ObjectName
    public var function: ObjectName
    public var orReplace: Bool
}

public struct Comment: Sendable {
    public enum Target: Sendable {
        case table(ObjectName), column(table: ObjectName, column: String), view(ObjectName), materializedView(ObjectName)
        case other(String)
    }

    public var target: Target
    public var text: String?
}

public struct Grant: Sendable {
    public var isGrant: Bool
    public var privileges: [String]
    public var objectKind: String
    public var objects: [ObjectName]
    /// True for `… ON ALL TABLES IN SCHEMA s`: `objects` then holds the schemas.
    public var allInSchema: Bool
    public var grantees: [String]
    /// `GRANT SELECT (a, b) ON t`: privileges on columns, not on the table.
    public var columnLevel: Bool
    /// `REVOKE GRANT OPTION FOR …`: the privileges themselves stay.
    public var grantOptionOnly: Bool
}

public struct CreateSchema: Sendable {
    public var name: String
    public var ifNotExists: Bool
    public var authorization: String?
    /// Statements embedded in `CREATE SCHEMA … CREATE TABLE …`.
    public var elements: [Statement]
}

public struct SetSearchPath: Sendable {
    /// nil means `RESET search_path` / `SET search_path TO DEFAULT`.
    public var schemas: [String]?
    public var isLocal: Bool
}

public struct AlterObjectSchema: Sendable {
    public var kind: RelationKind
    public var name: ObjectName
    public var newSchema: String
}

public struct CreateSequence: Sendable {
    public var name: ObjectName
    public var ifNotExists: Bool
    /// `OWNED BY [schema.]table.column` (the parts as written), or `[]` for `OWNED BY NONE`.
    public var ownedBy: [String]?
}

/// `ALTER SEQUENCE name …`: what the model tracks is `OWNED BY`.
public struct AlterSequence: Sendable {
    public var name: ObjectName
    public var ifExists: Bool
    public var ownedBy: [String]?
}

public enum TransactionKind: String, Sendable {
    case begin, commit, rollback, savepoint, release, rollbackTo, prepare, other
}

public struct DoBlock: Sendable {
    public var body: String
    public var language: String
    /// File offset of the string constant holding the body (its first line is the body's line 1).
    public var bodyOffset: Int?
}

/// A data statement (`InsertStmt`, `UpdateStmt`, `DeleteStmt`, `MergeStmt`) and the table it writes.
public struct DataChange: Sendable, Equatable {
    /// PostgreSQL's node name of the statement.
    public var kind: String
    public var target: ObjectName
    /// File offset of the target's name.
    public var targetOffset: Int

    public init(kind: String, target: ObjectName, targetOffset: Int) {
        self.kind = kind
        self.target = target
        self.targetOffset = targetOffset
    }
}
