import Foundation
import StewardCore
import StewardSQL

/// Reads what `steward audit` checks: the manifest's roles (attributes, memberships, connection
/// limits), every user relation and schema with its owner and what each of those roles can
/// effectively do with it (`has_*_privilege`: through membership and PUBLIC as well), default
/// privileges, and the server's connection budget. Catalog reads only.
public enum AccessReader {
    static let tablePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    static let sequencePrivileges = ["USAGE", "SELECT", "UPDATE"]

    public static func snapshot(_ connection: PostgresConnection, roles names: [String]) throws(LiveError) -> AccessSnapshot {
        let roleRows = try connection.query("""
            SELECT r.rolname, r.rolsuper::text, r.rolbypassrls::text, r.rolconnlimit::text,
              coalesce((SELECT string_agg(g.rolname, E'\\n' ORDER BY g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                        WHERE m.member = r.oid), '')
            FROM pg_roles r WHERE r.rolname = ANY($1::text[])
            """, [arrayLiteral(names)]).typedRows
        let roles = try roleRows.map { row throws(LiveError) in
            AccessSnapshot.Role(name: try row.text(0), superuser: try row.bool(1), bypassRowLevelSecurity: try row.bool(2),
                                connectionLimit: Int(try row.integer(3)), memberOf: try row.text(4).split(separator: "\n").map(String.init))
        }
        let existing = roles.map(\.name)
        var relations: [AccessSnapshot.Relation] = []
        // One row per relation and role: the relation, its kind and owner, what PUBLIC has, and
        // the role's effective privileges as a comma-separated list.
        let relationRows = try connection.query("""
            SELECT n.nspname, c.relname, c.relkind::text, pg_get_userbyid(c.relowner),
              coalesce((SELECT string_agg(a.privilege_type, ',') FROM aclexplode(c.relacl) a WHERE a.grantee = 0), ''),
              r.name,
              CASE WHEN r.name IS NULL THEN '' WHEN c.relkind = 'S' THEN
                concat_ws(',', CASE WHEN has_sequence_privilege(r.name, c.oid, 'USAGE') THEN 'USAGE' END,
                               CASE WHEN has_sequence_privilege(r.name, c.oid, 'SELECT') THEN 'SELECT' END,
                               CASE WHEN has_sequence_privilege(r.name, c.oid, 'UPDATE') THEN 'UPDATE' END)
              ELSE
                concat_ws(',', CASE WHEN has_table_privilege(r.name, c.oid, 'SELECT') THEN 'SELECT' END,
                               CASE WHEN has_table_privilege(r.name, c.oid, 'INSERT') THEN 'INSERT' END,
                               CASE WHEN has_table_privilege(r.name, c.oid, 'UPDATE') THEN 'UPDATE' END,
                               CASE WHEN has_table_privilege(r.name, c.oid, 'DELETE') THEN 'DELETE' END,
                               CASE WHEN has_table_privilege(r.name, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,
                               CASE WHEN has_table_privilege(r.name, c.oid, 'REFERENCES') THEN 'REFERENCES' END,
                               CASE WHEN has_table_privilege(r.name, c.oid, 'TRIGGER') THEN 'TRIGGER' END)
              END,
              (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
                 AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')))::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN unnest($1::text[]) AS r(name) ON true
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
            ORDER BY n.nspname, c.relname, r.name
            """, [arrayLiteral(existing)]).rows
        let kinds = ["r": "table", "p": "table", "f": "foreign table", "v": "view", "m": "materialized view", "S": "sequence"]
        for row in relationRows {
            let name = ObjectName(schema: row[0]!, name: row[1]!)
            if relations.last?.name != name {
                relations.append(AccessSnapshot.Relation(name: name, kind: kinds[row[2]!] ?? "table", ownerRole: row[3]!, privileges: [:],
                                                         publicPrivileges: privileges(row[4]), ownedByTable: row[7] == "true"))
            }
            if let role = row[5] { relations[relations.count - 1].privileges[role] = privileges(row[6]) }
        }
        let schemaRows = try connection.query("""
            SELECT n.nspname, pg_get_userbyid(n.nspowner), r.name,
              concat_ws(',', CASE WHEN has_schema_privilege(r.name, n.oid, 'USAGE') THEN 'USAGE' END,
                             CASE WHEN has_schema_privilege(r.name, n.oid, 'CREATE') THEN 'CREATE' END)
            FROM pg_namespace n LEFT JOIN unnest($1::text[]) AS r(name) ON true
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
            ORDER BY n.nspname, r.name
            """, [arrayLiteral(existing)]).rows
        for row in schemaRows {
            // A schema is named by itself: ObjectName(schema: s, name: s), as in SchemaFact.
            let name = ObjectName(schema: row[0]!, name: row[0]!)
            if relations.last?.name != name || relations.last?.kind != "schema" {
                relations.append(AccessSnapshot.Relation(name: name, kind: "schema", ownerRole: row[1]!, privileges: [:], publicPrivileges: []))
            }
            if let role = row[2] { relations[relations.count - 1].privileges[role] = privileges(row[3]) }
        }
        let defaults = try connection.query("""
            SELECT pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype::text,
              CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, string_agg(a.privilege_type, ',' ORDER BY a.privilege_type)
            FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """).rows.map { row in
            AccessSnapshot.DefaultPrivilege(ownerRole: row[0]!, schema: row[1], objectKind: ["r": "tables", "S": "sequences", "f": "functions", "T": "types", "n": "schemas"][row[2]!] ?? row[2]!,
                                            grantee: row[3]!, privileges: (row[4] ?? "").split(separator: ",").map(String.init))
        }
        guard let settings = try connection.query("SELECT current_setting('max_connections'), current_setting('superuser_reserved_connections')").typedRows.first else {
            throw LiveError(.query, "cannot read max_connections")
        }
        return AccessSnapshot(roles: roles, relations: relations, defaultPrivileges: defaults,
                              maxConnections: Int(try settings.integer(0)), reservedConnections: Int(try settings.integer(1)))
    }

    private static func privileges(_ list: String?) -> Privileges {
        (list ?? "").split(separator: ",").reduce(into: Privileges()) { set, name in
            if let privilege = Privileges(name: String(name)) { set.insert(privilege) }
        }
    }

    /// A text[] literal for a parameter (`{"a","b"}`), each element quoted and escaped.
    static func arrayLiteral(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
    }
}
