import StewardSQL
import Testing

struct SQLParserTests {
    func parse(_ sql: String) throws -> [ParsedStatement] {
        try SQLParser.parse(SourceText(sql)).get()
    }

    @Test func statementRangesSkipLeadingCommentsAndWhitespace() throws {
        let sql = "-- first\nCREATE TABLE a (id int);\n\n/* block /* nested */ */\n  DROP TABLE a;"
        let statements = try parse(sql)
        #expect(statements.count == 2)
        let source = SourceText(sql)
        #expect(source.text(statements[0].range) == "CREATE TABLE a (id int)")
        #expect(source.text(statements[1].range) == "DROP TABLE a")
        #expect(source.location(ofByte: statements[1].range.lowerBound).line == 5)
    }

    @Test func syntaxErrorsPointAtTheOffendingToken() {
        let sql = "CREATE TABLE ok (id int);\nCREATE TABLE bad (id int,);\n"
        guard case .failure(let error) = SQLParser.parse(SourceText(sql)) else {
            Issue.record("expected a syntax error")
            return
        }
        let location = SourceText(sql).location(ofByte: error.offset)
        #expect(error.message == "syntax error at or near \")\"")
        #expect(location.line == 2)
        #expect(location.column == 26)
    }

    @Test func dollarQuotedBodiesAndTransactionsParse() throws {
        let statements = try parse("""
            BEGIN;
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN RETURN NEW; END; $body$;
            COMMIT;
            """)
        #expect(statements.map(\.statement.kindName) == ["TransactionStmt", "CreateFunctionStmt", "TransactionStmt"])
        guard case .createFunction(let function) = statements[1].statement else { Issue.record("not a function"); return }
        #expect(function.language == "plpgsql")
        #expect(function.returnType == "trigger")
    }

    @Test func columnTypesAreFormattedLikeFormatType() throws {
        let statements = try parse("""
            CREATE TABLE t (a int, b varchar(20), c timestamp(3), d timestamptz, e numeric(10), f numeric(10,2),
              g char, h double precision, i bool, j serial, k text[], l "MyType", m public.other, n bit, o decimal);
            """)
        guard case .createTable(let table) = statements[0].statement else { Issue.record("not a table"); return }
        #expect(table.columns.map(\.type.formatted) == [
            "integer", "character varying(20)", "timestamp(3) without time zone", "timestamp with time zone",
            "numeric(10,0)", "numeric(10,2)", "character(1)", "double precision", "boolean", "integer", "text[]",
            "\"MyType\"", "other", "bit(1)", "numeric",
        ])
        #expect(table.columns[9].type.isSerial)
    }

    @Test func foreignKeysPointAtTheReferencesKeyword() throws {
        let sql = "CREATE TABLE t (id int,\n  CONSTRAINT fk FOREIGN KEY (id) REFERENCES other (id) ON DELETE CASCADE);"
        let statements = try parse(sql)
        guard case .createTable(let table) = statements[0].statement, let reference = table.constraints.first?.foreignKey else {
            Issue.record("no foreign key")
            return
        }
        let location = SourceText(sql).location(ofByte: reference.referencesOffset)
        #expect(location.line == 2 && location.column == 34)
        #expect(reference.onDelete == .cascade)
        #expect(reference.table == ObjectName(name: "other"))
    }

    @Test func expressionsRenderBackToSQL() throws {
        let statements = try parse("CREATE TABLE t (a jsonb DEFAULT '{}'::jsonb, b int DEFAULT 1 + 2, c timestamptz DEFAULT CURRENT_TIMESTAMP, d text CHECK (d IN ('x', 'y')));")
        guard case .createTable(let table) = statements[0].statement else { Issue.record("not a table"); return }
        #expect(table.columns[0].defaultExpression == "'{}'::jsonb")
        #expect(table.columns[1].defaultExpression == "1 + 2")
        #expect(table.columns[2].defaultExpression == "CURRENT_TIMESTAMP")
        // IN lists go through libpg_query's deparser.
        #expect(table.columns[3].constraints.first?.expression == "d IN ('x', 'y')")
    }

    @Test func nulBytesDoNotTruncateTheInput() {
        let source = SourceText(bytes: Array("SELECT 1;\u{0}\nSELEC 2;".utf8))
        guard case .failure(let error) = SQLParser.parse(source) else { Issue.record("expected the error after the NUL"); return }
        #expect(source.location(ofByte: error.offset).line == 2)
    }

    @Test func viewsKnowTheRelationsTheyReadButNotTheirCTEs() throws {
        let statements = try parse("CREATE VIEW v AS WITH recent AS (SELECT * FROM billing.invoices) SELECT * FROM recent JOIN users u ON true WHERE EXISTS (SELECT 1 FROM orders);")
        guard case .createView(let view) = statements[0].statement else { Issue.record("not a view"); return }
        #expect(Set(view.reads) == [ObjectName(schema: "billing", name: "invoices"), ObjectName(name: "users"), ObjectName(name: "orders")])
    }

    @Test func doBlocksExposeTheirBranches() {
        let steps = SQLParser.steps(inPlpgsqlBody: """
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk') THEN
                ALTER TABLE a ADD CONSTRAINT fk FOREIGN KEY (b) REFERENCES b (id);
              ELSE
                RAISE NOTICE 'exists';
              END IF;
              EXECUTE 'CREATE INDEX i ON a (b)';
            EXCEPTION WHEN duplicate_object THEN
              ALTER TABLE a DROP COLUMN b;
            END
            """)
        #expect(steps == [.choice([[
            .choice([[.statement(EmbeddedStatement(sql: "ALTER TABLE a ADD CONSTRAINT fk FOREIGN KEY (b) REFERENCES b (id)", line: 3))], []]),
            .statement(EmbeddedStatement(sql: "CREATE INDEX i ON a (b)", line: 7)),
        ]])])
    }

    @Test func aBodyThatWouldCloseTheWrapperIsNotFollowed() {
        // Wrapped as written, the body's own `$steward_body$` would end the quote early and
        // the statements after it would be read as something else.
        #expect(SQLParser.steps(inPlpgsqlBody: "BEGIN\n  PERFORM 1; -- $steward_body$ LANGUAGE sql AS $x$ DROP TABLE t; $x$\nEND") == [])
        #expect(SQLParser.steps(inPlpgsqlBody: "BEGIN\n  DELETE FROM t;\nEND") == [.statement(EmbeddedStatement(sql: "DELETE FROM t", line: 2))])
    }

    @Test func splitFindsStatementsAroundSyntaxErrors() throws {
        let ranges = try SQLParser.split(SourceText("SELECT 1; CREATE TABLE x (a int,); SELECT 3;")).get()
        #expect(ranges.count == 3)
    }
}
