import Foundation
import Testing

/// What the rules read beyond tables, columns and foreign keys, as one line per fact
/// ("default public.users.score = ((1 + 2) * 3)"), from the catalog and from the model.
///
/// Both sides are printed by PostgreSQL's own functions (`pg_get_expr`, `pg_get_indexdef`,
/// `pg_get_viewdef`, `format_type`): the model's expressions are applied as probes to the
/// same tables, inside a transaction that is rolled back, and read back from the catalog.
/// So `(1 + 2) * 3` and `((1 + 2) * 3)` agree while `1 + 2 * 3` does not.
enum CatalogFacts {
    /// Deliberately not modelled, so not compared.
    static let notCompared = [
        "privileges on columns, schemas and functions, and those granted to CURRENT_USER / SESSION_USER (the model keeps those GRANT/REVOKE statements as written)",
        "index INCLUDE columns, operator classes, collations and ordering; indexes that partitions inherit from a partitioned index",
        "view queries, and CHECK or index expressions printed by the deparser, that read a column or relation renamed later (the model marks them `query_predates_rename` / `expression_predates_rename`: they keep the text they were written with); those facts are skipped on both sides",
        "domain constraints and defaults, function bodies, triggers",
    ]

    /// Facts of the database's catalog (user schemas only).
    static func fromCatalog(_ database: TestDatabase, _ name: String) throws -> Set<String> {
        let query = """
            WITH rel AS (
              SELECT c.oid, c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qname, n.nspname AS schema, c.relname
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
            ), facts AS (
              SELECT 'default ' || r.schema || '.' || r.relname || '.' || a.attname || ' = ' || pg_get_expr(d.adbin, d.adrelid) AS fact
                FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
                WHERE a.attgenerated = '' AND NOT a.attisdropped
              UNION ALL
              SELECT 'generated ' || r.schema || '.' || r.relname || '.' || a.attname || ' = ' || pg_get_expr(d.adbin, d.adrelid)
                FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
                WHERE a.attgenerated = 's'
              UNION ALL
              SELECT 'check ' || r.schema || '.' || r.relname || ' ' || con.conname || ' = ' || pg_get_expr(con.conbin, con.conrelid)
                     || CASE WHEN con.convalidated THEN '' ELSE ' not valid' END
                FROM rel r JOIN pg_constraint con ON con.conrelid = r.oid WHERE con.contype = 'c' AND con.conislocal
              UNION ALL
              SELECT 'key ' || r.schema || '.' || r.relname || ' ' || con.conname || ' ' || CASE con.contype WHEN 'p' THEN 'primary key' ELSE 'unique' END
                     || ' (' || (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) || ')'
                FROM rel r JOIN pg_constraint con ON con.conrelid = r.oid WHERE con.contype IN ('p', 'u')
              UNION ALL
              SELECT 'index ' || ir.schema || '.' || ir.relname || ' on ' || r.schema || '.' || r.relname || ' using ' || am.amname
                     || CASE WHEN i.indisunique THEN ' unique' ELSE '' END
                     || ' (' || (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), ', ' ORDER BY k) FROM generate_series(1, i.indnkeyatts) k) || ')'
                     || coalesce(' where ' || pg_get_expr(i.indpred, i.indrelid, true), '')
                FROM pg_index i JOIN rel ir ON ir.oid = i.indexrelid JOIN rel r ON r.oid = i.indrelid
                JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                WHERE NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
                  AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
              UNION ALL
              SELECT CASE r.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END || r.schema || '.' || r.relname || ' reads '
                     || coalesce((SELECT string_agg(DISTINCT dr.schema || '.' || dr.relname, ', ')
                                  FROM pg_rewrite rw JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
                                  AND dep.refclassid = 'pg_class'::regclass JOIN rel dr ON dr.oid = dep.refobjid
                                  WHERE rw.ev_class = r.oid AND dep.refobjid <> r.oid), '')
                FROM rel r WHERE r.relkind IN ('v', 'm')
              UNION ALL
              SELECT 'viewdef ' || r.schema || '.' || r.relname || ' = ' || pg_get_viewdef(r.oid, true) FROM rel r WHERE r.relkind IN ('v', 'm')
              UNION ALL
              SELECT 'sequence ' || r.schema || '.' || r.relname || coalesce((SELECT ' owned by ' || owner.schema || '.' || owner.relname
                     FROM pg_depend dep JOIN rel owner ON owner.oid = dep.refobjid
                     WHERE dep.classid = 'pg_class'::regclass AND dep.objid = r.oid AND dep.refclassid = 'pg_class'::regclass
                       AND dep.deptype IN ('a', 'i') LIMIT 1), '')
                FROM rel r WHERE r.relkind = 'S'
              UNION ALL
              SELECT CASE t.typtype WHEN 'e' THEN 'enum ' || n.nspname || '.' || t.typname || ' ('
                       || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) || ')'
                     WHEN 'd' THEN 'domain ' || n.nspname || '.' || t.typname || ' over ' || format_type(t.typbasetype, t.typtypmod)
                     ELSE 'composite ' || n.nspname || '.' || t.typname || ' (' || (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) || ')' END
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                  AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
                  AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_type'::regclass AND dep.objid = t.oid AND dep.deptype = 'e')
              UNION ALL
              SELECT 'comment ' || CASE WHEN r.relkind IN ('v', 'm') THEN 'view ' ELSE 'table ' END || r.schema || '.' || r.relname || ' = ' || d.description
                FROM rel r JOIN pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
                WHERE r.relkind IN ('r', 'p', 'v', 'm')
              UNION ALL
              SELECT 'privilege ' || r.schema || '.' || r.relname || ' ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
                     || ' ' || a.privilege_type
                FROM rel r JOIN pg_class c ON c.oid = r.oid, aclexplode(c.relacl) a
                WHERE r.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND a.grantee <> c.relowner
              UNION ALL
              SELECT 'comment column ' || r.schema || '.' || r.relname || '.' || a.attname || ' = ' || d.description
                FROM rel r JOIN pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid > 0
                JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = d.objsubid WHERE r.relkind IN ('r', 'p')
            )
            SELECT coalesce(json_agg(fact), '[]') FROM facts WHERE fact IS NOT NULL
            """
        let result = try database.psql(name, ["-At", "-c", query])
        try #require(result.status == 0, "catalog facts query failed: \(result.stderr)")
        return Set(try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String]))
    }

    /// The same facts from `steward model --format json`, expressions normalised by probes
    /// against `name` (which holds the migrated schema).
    static func fromModel(_ json: String, _ database: TestDatabase, _ name: String) throws -> (facts: Set<String>, skipped: Set<String>) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var facts = Set<String>()
        var probes: [(key: String, sql: String)] = []
        var skipped = Set<String>()
        func qualified(_ schema: String, _ name: String) -> String { quoteIdentifier(schema) + "." + quoteIdentifier(name) }
        func probe(_ fact: String, _ sql: String) { probes.append((fact, sql)) }

        func privileges(of object: [String: Any], _ key: String) {
            for (grantee, names) in object["privileges"] as? [String: [String]] ?? [:] {
                for name in names { facts.insert("privilege \(key) \(grantee) \(name)") }
            }
        }
        for table in document["tables"] as? [[String: Any]] ?? [] {
            let schema = table["schema"] as? String ?? "", tableName = table["name"] as? String ?? ""
            let key = "\(schema).\(tableName)", target = qualified(schema, tableName)
            privileges(of: table, key)
            if let comment = table["comment"] as? String { facts.insert("comment table \(key) = \(comment)") }
            for column in table["columns"] as? [[String: Any]] ?? [] {
                let columnName = column["name"] as? String ?? ""
                if let comment = column["comment"] as? String { facts.insert("comment column \(key).\(columnName) = \(comment)") }
                if let expression = column["default_expression"] as? String {
                    probe("default \(key).\(columnName) = ", """
                        ALTER TABLE ONLY \(target) ALTER COLUMN \(quoteIdentifier(columnName)) SET DEFAULT \(expression);
                        SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                          WHERE d.adrelid = '\(literal(target))'::regclass AND a.attname = '\(literal(columnName))'
                        """)
                }
                if let expression = column["generated"] as? String {
                    probe("generated \(key).\(columnName) = ", """
                        ALTER TABLE \(target) ADD COLUMN steward_probe \(column["type"] as? String ?? "text") GENERATED ALWAYS AS (\(expression)) STORED;
                        SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                          WHERE d.adrelid = '\(literal(target))'::regclass AND a.attname = 'steward_probe'
                        """)
                }
            }
            for constraint in table["constraints"] as? [[String: Any]] ?? [] {
                let constraintName = constraint["name"] as? String ?? ""
                let columns = (constraint["columns"] as? [String] ?? []).joined(separator: ", ")
                switch constraint["kind"] as? String {
                case "primary key", "unique":
                    facts.insert("key \(key) \(constraintName) \(constraint["kind"] as? String ?? "") (\(columns))")
                case "check" where constraint["expression_predates_rename"] as? Bool == true:
                    skipped.insert("check \(key) \(constraintName) ")
                case "check" where constraint["inherited"] as? Bool != true:
                    let suffix = constraint["validated"] as? Bool == false ? " not valid" : ""
                    probe("check \(key) \(constraintName) = ", """
                        ALTER TABLE \(target) ADD CONSTRAINT steward_probe CHECK (\(constraint["expression"] as? String ?? "")) NOT VALID;
                        SELECT pg_get_expr(conbin, conrelid) || '\(suffix)' FROM pg_constraint WHERE conrelid = '\(literal(target))'::regclass AND conname = 'steward_probe'
                        """)
                default: break
                }
            }
        }
        for index in document["indexes"] as? [[String: Any]] ?? [] where index["constraint"] == nil {
            let schema = index["schema"] as? String ?? "", indexName = index["name"] as? String ?? ""
            let table = index["table"] as? String ?? ""
            if index["expression_predates_rename"] as? Bool == true {
                skipped.insert("index \(schema).\(indexName) ")
                continue
            }
            let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
            let target = parts.count == 2 ? qualified(parts[0], parts[1]) : quoteIdentifier(table)
            let keys = (index["keys"] as? [[String: Any]] ?? []).map { key -> String in
                if let column = key["column"] as? String { return quoteIdentifier(column) }
                return "(\(key["expression"] as? String ?? ""))"
            }.joined(separator: ", ")
            let method = index["method"] as? String ?? "btree"
            let predicate = (index["predicate"] as? String).map { " WHERE \($0)" } ?? ""
            let unique = index["unique"] as? Bool == true ? " unique" : ""
            probe("index \(schema).\(indexName) on \(table) using \(method)\(unique) ", """
                CREATE INDEX steward_probe ON \(target) USING \(method) (\(keys))\(predicate);
                SELECT '(' || (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), ', ' ORDER BY k) FROM generate_series(1, i.indnkeyatts) k) || ')'
                       || coalesce(' where ' || pg_get_expr(i.indpred, i.indrelid, true), '')
                  FROM pg_index i WHERE i.indexrelid = '\(quoteIdentifier(parts.count == 2 ? parts[0] : "public")).steward_probe'::regclass
                """)
        }
        for view in document["views"] as? [[String: Any]] ?? [] {
            let schema = view["schema"] as? String ?? "", viewName = view["name"] as? String ?? ""
            let kind = view["materialized"] as? Bool == true ? "materialized view" : "view"
            let reads = Set(view["reads"] as? [String] ?? []).sorted().joined(separator: ", ")
            facts.insert("\(kind) \(schema).\(viewName) reads \(reads)")
            privileges(of: view, "\(schema).\(viewName)")
            if let comment = view["comment"] as? String { facts.insert("comment view \(schema).\(viewName) = \(comment)") }
            if view["query_predates_rename"] as? Bool == true {
                skipped.insert("viewdef \(schema).\(viewName) ")
            } else if let query = view["query"] as? String {
                probe("viewdef \(schema).\(viewName) = ", """
                    CREATE TEMPORARY VIEW steward_probe AS \(query);
                    SELECT pg_get_viewdef('pg_temp.steward_probe'::regclass, true)
                    """)
            }
        }
        for type in document["types"] as? [[String: Any]] ?? [] {
            let name = "\(type["schema"] as? String ?? "").\(type["name"] as? String ?? "")"
            switch type["kind"] as? String {
            case "enum": facts.insert("enum \(name) (\((type["values"] as? [String] ?? []).joined(separator: ", ")))")
            case "domain": facts.insert("domain \(name) over \(type["domain_of"] as? String ?? "")")
            default:
                let attributes = (type["attributes"] as? [[String: Any]] ?? []).map { "\($0["name"] as? String ?? "") \($0["type"] as? String ?? "")" }
                facts.insert("composite \(name) (\(attributes.joined(separator: ", ")))")
            }
        }
        for sequence in document["sequences"] as? [[String: Any]] ?? [] {
            let owner = (sequence["owned_by"] as? String).map { " owned by \($0)" } ?? ""
            facts.insert("sequence \(sequence["schema"] as? String ?? "").\(sequence["name"] as? String ?? "")\(owner)")
            privileges(of: sequence, "\(sequence["schema"] as? String ?? "").\(sequence["name"] as? String ?? "")")
        }
        return (facts.union(try runProbes(probes, database, name)), skipped)
    }

    /// Runs each probe in its own savepoint of one transaction that is rolled back, and
    /// returns `key + normalised text`; a probe PostgreSQL rejects yields `key + <rejected: …>`.
    private static func runProbes(_ probes: [(key: String, sql: String)], _ database: TestDatabase, _ name: String) throws -> Set<String> {
        guard !probes.isEmpty else { return [] }
        // Each probe prints one JSON line {"k": index, "v": text} before its savepoint is rolled
        // back; a probe that PostgreSQL rejects prints nothing.
        var script = "\\pset format unaligned\n\\pset tuples_only on\nBEGIN;\n"
        for (index, probe) in probes.enumerated() {
            // `sql` is a setup statement, then the query of one text value.
            let statements = probe.sql.components(separatedBy: ";\n")
            script += "SAVEPOINT probe;\n\(statements[0]);\nSELECT json_build_object('k', \(index), 'v', (\(statements[1])));\nROLLBACK TO SAVEPOINT probe;\n"
        }
        script += "ROLLBACK;\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("steward-probes-\(UUID().uuidString).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try database.psql(name, ["-v", "ON_ERROR_STOP=0", "-f", file.path])
        var values: [Int: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let index = object["k"] as? Int else { continue }
            values[index] = object["v"] as? String
        }
        return Set(probes.enumerated().map { index, probe in
            probe.key + (values[index] ?? "<rejected by PostgreSQL>")
        })
    }

    static func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    static func literal(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "''") }

    /// Human-readable differences, empty when both sides hold the same facts.
    static func differences(model: (facts: Set<String>, skipped: Set<String>), database: Set<String>) -> [String] {
        let database = database.filter { fact in !model.skipped.contains { fact.hasPrefix($0) } }
        return model.facts.subtracting(database).sorted().map { "only in model:    \($0)" }
            + database.subtracting(model.facts).sorted().map { "only in postgres: \($0)" }
    }
}
