import StewardSQL

extension SchemaReplayer {
    /// The bookkeeping table a tool creates before the first migration runs, as the tool's
    /// own source creates it; migrations sometimes alter it (Harbor adds a column to
    /// golang-migrate's table). Tools that keep their registry elsewhere (Sqitch: schema
    /// `sqitch`) or create it after the first migration are not seeded.
    public mutating func seedToolTables(for layout: MigrationLayout) {
        let origin = Origin(path: "(\(layout.rawValue))", line: 1, column: 1)
        func column(_ name: String, _ type: String, default value: String? = nil) -> Column {
            Column(name: name, type: type, notNull: true, defaultExpression: value, identity: nil, trackedGenerated: nil, comment: nil, origin: origin)
        }
        let tableName: String
        let columns: [Column]
        switch layout {
        case .golangMigrate:
            // database/postgres/postgres.go ensureVersionTable
            tableName = "schema_migrations"
            columns = [column("version", "bigint"), column("dirty", "boolean")]
        case .dbmate:
            // pkg/driver/postgres/postgres.go CreateMigrationsTable: version varchar(255) primary key
            tableName = "schema_migrations"
            columns = [column("version", "character varying(255)")]
        case .diesel:
            // diesel/src/migration/setup_migration_table.sql
            tableName = "__diesel_schema_migrations"
            columns = [column("version", "character varying(50)"),
                       column("run_on", "timestamp without time zone", default: "CURRENT_TIMESTAMP")]
        default:
            return
        }
        let name = ObjectName(schema: "public", name: tableName)
        let keyName = tableName + "_pkey"
        let primaryKey = Constraint(name: keyName, kind: .primaryKey, columns: ["version"], references: nil, trackedExpression: nil,
                                    expressionColumns: [], validated: true, inherited: false, origin: origin, referencesOrigin: nil)
        noteConstraintName(name.schema, primaryKey.name)
        model.tables[name] = Table(name: name, columns: columns, constraints: [primaryKey], triggers: [], comment: nil, partitionOf: nil,
                                   inheritsFrom: [], isPartitioned: false, isUnlogged: false, origin: origin, owner: nil,
                                   managedBy: layout.rawValue)
        let indexName = ObjectName(schema: "public", name: keyName)
        indexesOf.add(indexName, to: name)
        model.indexes[indexName] = Index(name: indexName, table: name, keys: [IndexKey(column: "version")], expressionColumns: [],
                                         unique: true, method: "btree", trackedPredicate: nil, constraint: keyName, origin: origin)
    }
}
