import Foundation
@testable import StewardCore
import StewardSQL
import Testing

/// Replay behaviours checked one by one (the agreement test checks them against PostgreSQL).
struct SchemaReplayerTests {
    /// Replays `files` (in order, each with the given transaction mode) and returns the model.
    func replay(_ files: [(sql: String, transaction: TransactionMode)]) throws -> SchemaModel {
        var replayer = SchemaReplayer()
        for (index, file) in files.enumerated() {
            let migration = MigrationFile(path: "\(index + 1).sql", version: "\(index + 1)", name: "m", direction: .up,
                                          transaction: file.transaction, original: SourceText(file.sql))
            replayer.begin(migration)
            replayer.apply(try SQLParser.parse(migration.source).get())
        }
        return replayer.takeModel()
    }

    func replay(_ sql: String, transaction: TransactionMode = .perStatement) throws -> SchemaModel {
        try replay([(sql, transaction)])
    }

    func table(_ model: SchemaModel, _ schema: String, _ name: String) throws -> Table {
        try #require(model.tables[ObjectName(schema: schema, name: name)], "no table \(schema).\(name)")
    }

    @Test func aPrimaryKeyThatIsAlsoUniqueHasNoRedundantUniqueConstraint() throws {
        let model = try replay("""
            CREATE TABLE u (id int PRIMARY KEY UNIQUE);
            CREATE TABLE v (id int PRIMARY KEY, CONSTRAINT v_named UNIQUE (id), code text UNIQUE);
            """)
        #expect(try table(model, "public", "u").constraints.map(\.name) == ["u_pkey"])
        // The primary key takes the eliminated constraint's name, as transformIndexConstraints does.
        #expect(try table(model, "public", "v").constraints.map(\.name) == ["v_named", "v_code_key"])
        #expect(model.indexes[ObjectName(schema: "public", name: "u_id_key")] == nil)
    }

    @Test func aSecondPrimaryKeyIsRefused() throws {
        let model = try replay("CREATE TABLE q (a int PRIMARY KEY, b int);\nALTER TABLE q ADD PRIMARY KEY (b);")
        #expect(try table(model, "public", "q").constraints.filter { $0.kind == .primaryKey }.map(\.columns) == [["a"]])
        #expect(model.issues.map(\.origin.line) == [2])
    }

    @Test func droppingAMaterializedViewDropsItsIndexes() throws {
        let model = try replay("""
            CREATE TABLE t (a int);
            CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
            CREATE UNIQUE INDEX mv_a ON mv (a);
            DROP MATERIALIZED VIEW mv;
            CREATE INDEX mv_a ON t (a);
            """)
        #expect(model.views.isEmpty)
        #expect(model.indexes[ObjectName(schema: "public", name: "mv_a")]?.table == ObjectName(schema: "public", name: "t"))
        #expect(model.issues.isEmpty, "the index name is free again: \(model.issues.map(\.message))")
    }

    @Test func compositeTypesAreModelledAndDroppable() throws {
        let model = try replay("""
            CREATE TYPE pair AS (x integer, label varchar(10));
            CREATE TABLE uses (p pair);
            CREATE TYPE gone AS (y text);
            DROP TYPE gone;
            """)
        let pair = try #require(model.types[ObjectName(schema: "public", name: "pair")])
        #expect(pair.kind == .composite)
        #expect(pair.attributes == [TypeAttribute(name: "x", type: "integer"), TypeAttribute(name: "label", type: "character varying(10)")])
        #expect(model.types[ObjectName(schema: "public", name: "gone")] == nil)
        #expect(model.issues.isEmpty)
    }

    @Test func setLocalSearchPathEndsWithItsTransaction() throws {
        let model = try replay("""
            CREATE SCHEMA app;
            BEGIN;
            SET LOCAL search_path TO app;
            CREATE TABLE inside (id int);
            COMMIT;
            CREATE TABLE after (id int);
            """)
        #expect(model.tables[ObjectName(schema: "app", name: "inside")] != nil)
        #expect(model.tables[ObjectName(schema: "public", name: "after")] != nil)
    }

    @Test func setLocalOutsideATransactionBlockDoesNothing() throws {
        let sql = "CREATE SCHEMA app;\nSET LOCAL search_path TO app;\nCREATE TABLE t (id int);\n"
        // psql -f: each statement autocommits, so SET LOCAL is ignored (Postgres warns).
        #expect(try replay(sql, transaction: .perStatement).tables[ObjectName(schema: "public", name: "t")] != nil)
        // A tool that wraps the file in one transaction: SET LOCAL lasts to the end of the file.
        #expect(try replay(sql, transaction: .explicitPerFile).tables[ObjectName(schema: "app", name: "t")] != nil)
    }

    @Test func commentOnAMissingObjectIsAReplayIssue() throws {
        let model = try replay("""
            CREATE TABLE t (a int);
            COMMENT ON TABLE missing IS 'x';
            COMMENT ON COLUMN t.nope IS 'x';
            COMMENT ON COLUMN t.a IS 'the a';
            COMMENT ON VIEW nothing IS 'x';
            """)
        #expect(model.issues.map(\.origin.line) == [2, 3, 5])
        #expect(try table(model, "public", "t").column(named: "a")?.comment == "the a")
    }

    @Test func enumValuesGoWhereAddValuePutsThem() throws {
        let model = try replay("""
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
            ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';
            ALTER TYPE mood ADD VALUE 'last';
            """)
        #expect(model.types[ObjectName(schema: "public", name: "mood")]?.values == ["sad", "ok", "happy", "ecstatic", "last"])
    }

    @Test func serialDefaultsNameTheirSequenceAsRegclassPrintsIt() throws {
        let model = try replay("CREATE SCHEMA s;\nCREATE TABLE \"Mixed\" (\"Id\" serial);\nCREATE TABLE s.plain (id bigserial);")
        #expect(try table(model, "public", "Mixed").columns[0].defaultExpression == "nextval('\"Mixed_Id_seq\"'::regclass)")
        #expect(try table(model, "s", "plain").columns[0].defaultExpression == "nextval('s.plain_id_seq'::regclass)")
    }

    @Test func aLiteralDefaultKeepsItsTypeWhenTheColumnTypeChanges() throws {
        let model = try replay("CREATE TABLE t (c char(3) DEFAULT 'USD', n int DEFAULT 0);\nALTER TABLE t ALTER COLUMN c TYPE text, ALTER COLUMN n TYPE bigint;")
        let columns = try table(model, "public", "t").columns
        #expect(columns[0].defaultExpression == "'USD'::bpchar")
        #expect(columns[1].defaultExpression == "0")
    }

    @Test func droppingAColumnDropsTheIndexesThatReadIt() throws {
        let model = try replay("""
            CREATE TABLE t (a int, b text, c int);
            CREATE INDEX by_lower_b ON t (lower(b));
            CREATE INDEX partial_c ON t (a) WHERE c > 0;
            CREATE INDEX plain_a ON t (a);
            ALTER TABLE t DROP COLUMN b, DROP COLUMN c;
            """)
        #expect(model.indexes.keys.map(\.name).sorted() == ["plain_a"])
    }

    @Test func expressionsFollowARenamedColumnOrAreMarkedWhenTheyCannot() throws {
        let model = try replay("""
            CREATE TABLE t (a int CHECK (a > 0), b int CHECK (b > 0), c int CHECK (c > ANY ('{1,2}'::int[])),
                            g int GENERATED ALWAYS AS (a * 2) STORED);
            CREATE INDEX t_expr ON t ((a + b)) WHERE a IS NOT NULL;
            CREATE VIEW v AS SELECT a FROM t;
            ALTER TABLE t RENAME COLUMN a TO "Z";
            ALTER TABLE t RENAME COLUMN c TO cc;
            """)
        let table = try table(model, "public", "t")
        #expect(table.constraints.map(\.expression) == ["\"Z\" > 0", "b > 0", "c > ANY('{1,2}'::int[])"])
        // The last one came from the deparser: its text cannot follow, so it is marked.
        #expect(table.constraints.map(\.expressionPredatesRename) == [false, false, true])
        #expect(table.constraints[0].expressionColumns == ["Z"])
        #expect(table.column(named: "g")?.generated == "\"Z\" * 2")
        let index = try #require(model.indexes[ObjectName(schema: "public", name: "t_expr")])
        #expect(index.keys.map(\.text) == ["(\"Z\" + b)"])
        #expect(index.predicate == "\"Z\" IS NOT NULL")
        #expect(!index.expressionPredatesRename)
        #expect(model.views[ObjectName(schema: "public", name: "v")]?.queryPredatesRename == true)
    }

    @Test func partitionCyclesAreRefusedAndDropsFinish() throws {
        let model = try replay("""
            CREATE TABLE p (a int) PARTITION BY LIST (a);
            CREATE TABLE q (a int) PARTITION BY LIST (a);
            ALTER TABLE p ATTACH PARTITION q FOR VALUES IN (1);
            ALTER TABLE q ATTACH PARTITION p FOR VALUES IN (0);
            ALTER TABLE p ATTACH PARTITION p FOR VALUES IN (2);
            DROP TABLE p;
            """)
        #expect(model.issues.map(\.origin.line) == [4, 5])
        #expect(model.tables.isEmpty, "dropping the parent drops its partition")
    }

    @Test func sequencesGoWithTheColumnThatOwnsThem() throws {
        let model = try replay("""
            CREATE TABLE t (id bigserial PRIMARY KEY, n int, m int);
            CREATE SEQUENCE n_seq OWNED BY t.n;
            CREATE SEQUENCE m_seq;
            ALTER SEQUENCE m_seq OWNED BY t.m;
            ALTER TABLE t RENAME COLUMN m TO mm;
            ALTER TABLE t DROP COLUMN id, DROP COLUMN n;
            """)
        #expect(model.sequences.keys.map(\.name) == ["m_seq"])
        #expect(model.sequences.values.first?.ownedByColumn == "mm")
    }

    @Test func aNullDefaultIsStoredOnlyWhereCoercingNullIsMoreThanAConstant() throws {
        let model = try replay("""
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE TABLE t (a timestamptz DEFAULT NULL, b varchar(10) DEFAULT NULL, c positive DEFAULT NULL, d text);
            ALTER TABLE t ALTER COLUMN d SET DEFAULT NULL;
            """)
        #expect(try table(model, "public", "t").columns.map(\.defaultExpression) == [nil, "NULL", "NULL", nil])
    }

    @Test func statementsInsideDoBlocksKeepTheirFileLines() throws {
        let model = try replay("-- header\n\nDO $$\nBEGIN\n  IF true THEN\n    CREATE TABLE in_do (a int);\n  END IF;\nEND\n$$;\n"
            + "DO LANGUAGE plpgsql\n  'BEGIN\n  CREATE TABLE in_do2 (a int);\n  END';\n")
        #expect(try table(model, "public", "in_do").origin.line == 6)
        #expect(try table(model, "public", "in_do2").origin.line == 12)
    }

    @Test func doBlocksAreFollowedToABoundedDepth() throws {
        func nested(_ depth: Int) -> String {
            "DO $$ BEGIN " + String(repeating: "IF true THEN ", count: depth) + "CREATE TABLE deep (a int);"
                + String(repeating: " END IF;", count: depth) + " END $$;"
        }
        #expect(try replay(nested(10)).tables[ObjectName(schema: "public", name: "deep")] != nil)
        let tooDeep = try replay(nested(SchemaReplayer.maximumDoBlockNesting + 5))
        #expect(tooDeep.tables.isEmpty)
        #expect(tooDeep.issues.map(\.origin.line) == [1])
    }

    @Test func privilegesAreWhatGrantAndRevokeLeaveOnEachRelation() throws {
        let model = try replay("""
            CREATE SCHEMA s;
            CREATE TABLE s.early (id int);
            CREATE TABLE t (id int, secret text);
            GRANT ALL ON t TO reader;
            REVOKE TRUNCATE, TRIGGER ON t FROM reader;
            GRANT SELECT (secret) ON t TO auditor;
            GRANT SELECT ON t TO CURRENT_USER;
            GRANT SELECT ON ALL TABLES IN SCHEMA s TO reader;
            CREATE TABLE s.late (id int);
            ALTER TABLE t RENAME TO renamed;
            CREATE VIEW v AS SELECT id FROM renamed;
            GRANT SELECT ON v TO PUBLIC;
            CREATE OR REPLACE VIEW v AS SELECT id, secret FROM renamed;
            REVOKE GRANT OPTION FOR SELECT ON v FROM PUBLIC;
            """)
        #expect(try table(model, "public", "renamed").privileges.byGrantee == ["reader": ["SELECT", "INSERT", "UPDATE", "DELETE", "REFERENCES"]])
        #expect(try table(model, "s", "early").privileges.byGrantee == ["reader": ["SELECT"]])
        #expect(try table(model, "s", "late").privileges.isEmpty, "ALL TABLES IN SCHEMA covers the tables that exist then")
        #expect(model.views[ObjectName(schema: "public", name: "v")]?.privileges.byGrantee == ["PUBLIC": ["SELECT"]])
    }

    /// Schema-wide statements change every relation of the schema in place, each kind with
    /// its own privileges; a revoke that leaves a role nothing removes the role's entry.
    @Test func schemaWideGrantsAndRevokesReachEveryRelationOfTheirKind() throws {
        let model = try replay("""
            CREATE SCHEMA s;
            CREATE TABLE s.a (id serial);
            CREATE TABLE s.b (id int);
            CREATE VIEW s.v AS SELECT id FROM s.b;
            CREATE TABLE other (id int);
            GRANT ALL ON ALL TABLES IN SCHEMA s TO writer, reader;
            GRANT ALL ON ALL SEQUENCES IN SCHEMA s TO writer;
            REVOKE ALL ON ALL TABLES IN SCHEMA s FROM reader;
            GRANT SELECT ON ALL TABLES IN SCHEMA s TO reader;
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA s FROM writer;
            """)
        for name in ["a", "b"] {
            #expect(try table(model, "s", name).privileges.byGrantee == ["writer": ["SELECT"], "reader": ["SELECT"]])
        }
        #expect(model.views[ObjectName(schema: "s", name: "v")]?.privileges.byGrantee == ["writer": ["SELECT"], "reader": ["SELECT"]])
        #expect(model.sequences[ObjectName(schema: "s", name: "a_id_seq")]?.privileges.byGrantee == ["writer": ["SELECT", "UPDATE", "USAGE"]])
        #expect(try table(model, "public", "other").privileges.isEmpty)
        #expect(Privileges(name: "select") == .select && Privileges(name: "Trigger") == .trigger && Privileges(name: "connect") == nil)
    }

    /// A drop that others depend on fails without CASCADE (nothing changes, the issue says
    /// what blocks it); with CASCADE the foreign keys, views and inheritance children go along,
    /// and the change log says so.
    @Test func dropsFollowDependenciesAsPostgresDoes() throws {
        let setup = """
            CREATE TABLE p (id int PRIMARY KEY);
            CREATE TABLE c (id int, p_id int REFERENCES p (id));
            CREATE VIEW v AS SELECT id FROM p;
            CREATE TABLE kid () INHERITS (p);
            """
        let refused = try replay(setup + "\nDROP TABLE p;")
        #expect(refused.tables[ObjectName(schema: "public", name: "p")] != nil)
        let issue = try #require(refused.issues.last)
        #expect(issue.kind == .dependents)
        #expect(issue.message == "DROP TABLE p: foreign key c_p_id_fkey on c, view v, table kid (it inherits from this one) depends on it; Postgres refuses the drop without CASCADE")
        #expect(!refused.changes.contains { if case .dropTable = $0.kind { true } else { false } })

        let cascaded = try replay([(setup, .perStatement), ("DROP TABLE p CASCADE;", .perStatement)])
        #expect(cascaded.tables.keys.map(\.name).sorted() == ["c"])
        #expect(cascaded.views.isEmpty)
        #expect(try table(cascaded, "public", "c").foreignKeyIndices.isEmpty)
        let change = try #require(cascaded.changes.last)
        guard case .dropTable(let along) = change.kind else { Issue.record("not a drop: \(change.kind)"); return }
        #expect(along == ["foreign key c_p_id_fkey on c", "view v", "table kid (it inherits from this one)"])
        #expect(change.dependents.map(\.kind) == [.foreignKey, .view])
        #expect(change.createdIn == "1.sql" && change.location.path == "2.sql" && !change.isOnObjectCreatedInSameFile)
    }

    /// The change log holds each name and path once for all its changes; what a change says is
    /// unchanged by that: its object, table, place and origin, and a change made in the file
    /// that created the table is seen as such.
    @Test func changesShareNamesAndPathsAndReadTheSame() throws {
        let model = try replay([
            ("CREATE TABLE t (a int, b int);\nCREATE INDEX t_a ON t (a);\nALTER TABLE t DROP COLUMN b;", .perStatement),
            ("ALTER TABLE t ADD COLUMN c int;\n  ALTER TABLE t ALTER COLUMN a SET NOT NULL;\nDROP INDEX t_a;", .perStatement),
        ])
        let table = ObjectName(schema: "public", name: "t")
        let index = ObjectName(schema: "public", name: "t_a")
        #expect(model.changes.map(\.object) == [index, table, table, table, index])
        #expect(model.changes.map(\.table) == [table, table, table, table, table])
        #expect(model.changes.map(\.location) == [
            FileLocation(path: "1.sql", line: 2, column: 1, length: 6), FileLocation(path: "1.sql", line: 3, column: 13),
            FileLocation(path: "2.sql", line: 1, column: 26), FileLocation(path: "2.sql", line: 2, column: 15),
            FileLocation(path: "2.sql", line: 3, column: 1, length: 4),
        ])
        #expect(model.changes.map(\.createdIn) == ["1.sql", "1.sql", "1.sql", "1.sql", "1.sql"])
        #expect(model.changes.map(\.isOnObjectCreatedInSameFile) == [true, true, false, false, false])
        // One copy of each file's path, shared by its objects' origins.
        let replayed = try self.table(model, "public", "t")
        #expect(replayed.columns.map(\.origin.path) == ["1.sql", "2.sql"])
        #expect(replayed.columns[0].origin.sharedPath === replayed.origin.sharedPath)
        #expect(replayed.columns[1].origin.sharedPath !== replayed.origin.sharedPath)
        // Built on its own (not by a replay), a change reads the same.
        let single = SchemaChange(kind: .dropIndex(concurrently: false), object: table, table: nil,
                                  location: FileLocation(path: "x.sql", line: 7, column: 2, length: 0), createdIn: "x.sql",
                                  inExplicitTransaction: true, transactionMode: .explicitPerFile, lockTimeoutSet: true, dependents: [])
        #expect(single.object == table && single.table == nil && single.createdIn == "x.sql" && single.isOnObjectCreatedInSameFile)
        #expect(single.location == FileLocation(path: "x.sql", line: 7, column: 2, length: 1))
        #expect(single.inExplicitTransaction && single.transactionMode == .explicitPerFile && single.lockTimeoutSet)
    }
}
