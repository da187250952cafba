import Foundation
internal import CPgQueryRaw

/// Renders a `TypeName` the way Postgres's `format_type(atttypid, atttypmod)` prints a
/// column type, so that the model can be compared with the catalog of a real database.
enum TypeFormatting {
    static func dataType(_ typeName: UnsafeMutablePointer<TypeName>?) -> DataType {
        guard let typeName else { return DataType(formatted: "unknown") }
        let parts = strings(typeName.pointee.names)
        let modifiers = nodes(typeName.pointee.typmods).map(Expressions.render)
        let dimensions = count(typeName.pointee.arrayBounds)
        let arraySuffix = dimensions > 0 ? "[]" : ""

        let schema = parts.count >= 2 ? parts[parts.count - 2] : nil
        let name = parts.last ?? "unknown"
        if schema == nil || schema == "pg_catalog", let builtin = builtinName(name, modifiers: modifiers) {
            // The same type without its modifiers (typmod -1): how Postgres types a constant.
            let unmodified = modifiers.isEmpty ? builtin.name : (builtinName(name, modifiers: [])?.name ?? builtin.name)
            return DataType(formatted: builtin.name + arraySuffix, isSerial: builtin.serial, arrayDimensions: dimensions,
                            unmodified: (name == "bit" ? "bit" : unmodified) + arraySuffix)
        }
        let user = ObjectName(schema: schema, name: name)
        return DataType(formatted: formatUserType(user) + arraySuffix, userType: user, arrayDimensions: dimensions)
    }

    /// User types print unqualified when in `public` (visible on the default search path).
    static func formatUserType(_ name: ObjectName) -> String {
        guard let schema = name.schema, schema != "public" else { return Identifiers.quote(name.name) }
        return Identifiers.quote(schema) + "." + Identifiers.quote(name.name)
    }

    static func builtinName(_ name: String, modifiers: [String]) -> (name: String, serial: Bool)? {
        let modifierList = modifiers.isEmpty ? "" : "(" + modifiers.joined(separator: ",") + ")"
        switch name {
        case "int4", "integer", "int": return ("integer", false)
        case "int8", "bigint": return ("bigint", false)
        case "int2", "smallint": return ("smallint", false)
        case "serial", "serial4": return ("integer", true)
        case "bigserial", "serial8": return ("bigint", true)
        case "smallserial", "serial2": return ("smallint", true)
        case "float4", "real": return ("real", false)
        case "float8": return ("double precision", false)
        case "bool", "boolean": return ("boolean", false)
        case "varchar": return ("character varying" + modifierList, false)
        case "bpchar": return (modifiers.isEmpty ? "bpchar" : "character" + modifierList, false)
        case "numeric", "decimal":
            if modifiers.count == 1 { return ("numeric(\(modifiers[0]),0)", false) }
            return ("numeric" + modifierList, false)
        case "timestamp": return ("timestamp\(modifierList) without time zone", false)
        case "timestamptz": return ("timestamp\(modifierList) with time zone", false)
        case "time": return ("time\(modifierList) without time zone", false)
        case "timetz": return ("time\(modifierList) with time zone", false)
        case "bit": return ("bit" + (modifiers.isEmpty ? "(1)" : modifierList), false)
        case "varbit": return ("bit varying" + modifierList, false)
        case "interval": return ("interval" + intervalModifiers(modifiers), false)
        case "char": return ("\"char\"", false)
        default:
            return builtinTypes.contains(name) ? (name + modifierList, false) : nil
        }
    }

    /// `intervaltypmodout`: the grammar passes the fields as a bit mask (`INTERVAL_MASK` of
    /// datetime.h), then the seconds precision if one was written.
    private static func intervalModifiers(_ modifiers: [String]) -> String {
        let values = modifiers.compactMap { Int($0) }
        guard values.count == modifiers.count, let mask = values.first else { return "" }
        let month = 1 << 1, year = 1 << 2, day = 1 << 3, hour = 1 << 10, minute = 1 << 11, second = 1 << 12
        let fields: String
        switch mask {
        case year: fields = " year"
        case month: fields = " month"
        case day: fields = " day"
        case hour: fields = " hour"
        case minute: fields = " minute"
        case second: fields = " second"
        case year | month: fields = " year to month"
        case day | hour: fields = " day to hour"
        case day | hour | minute: fields = " day to minute"
        case day | hour | minute | second: fields = " day to second"
        case hour | minute: fields = " hour to minute"
        case hour | minute | second: fields = " hour to second"
        case minute | second: fields = " minute to second"
        default: fields = ""  // INTERVAL_FULL_RANGE
        }
        let fullPrecision = 0xFFFF
        guard values.count > 1, values[1] != fullPrecision else { return fields }
        return fields + "(\(values[1]))"
    }

    /// Built-in types that `format_type` prints under their own name.
    private static let builtinTypes: Set<String> = [
        "text", "json", "jsonb", "uuid", "bytea", "date", "inet", "cidr", "macaddr", "macaddr8", "money",
        "tsvector", "tsquery", "xml", "oid", "name", "point", "line", "lseg", "box", "path", "polygon", "circle",
        "regclass", "regproc", "regtype", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
        "int4multirange", "int8multirange", "nummultirange", "tsmultirange", "tstzmultirange", "datemultirange",
        "pg_lsn", "pg_snapshot", "txid_snapshot", "record", "void", "trigger", "event_trigger", "anyelement",
        "anyarray", "anynonarray", "anyenum", "anyrange", "cstring", "internal", "xid", "xid8", "cid", "tid",
        "regnamespace", "regrole", "regconfig", "regdictionary", "regoper", "regprocedure", "aclitem", "jsonpath",
    ]
}

/// Identifier quoting as Postgres's `quote_ident` does it.
public enum Identifiers {
    public static func quote(_ identifier: String) -> String {
        if needsNoQuotes(identifier) { return identifier }
        return "\"" + identifier.doubling("\"") + "\""
    }

    private static func needsNoQuotes(_ identifier: String) -> Bool {
        guard let first = identifier.utf8.first, first == UInt8(ascii: "_") || (first >= 97 && first <= 122) else { return false }
        for byte in identifier.utf8 {
            let safe = byte == UInt8(ascii: "_") || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            if !safe { return false }
        }
        return !reservedKeywords.contains(identifier)
    }

    /// Keywords `quote_ident` quotes: reserved, column-name and type-function-name keywords of Postgres 15.
    private static let reservedKeywords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between",
        "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce",
        "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog",
        "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "dec",
        "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists", "extract",
        "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group",
        "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval",
        "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
        "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif",
        "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
        "position", "precision", "primary", "real", "references", "returning", "right", "row", "select",
        "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user", "table",
        "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
        "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes",
        "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
        "xmlserialize", "xmltable",
    ]
}

extension String {
    /// SQL quote escaping: every `quote` written twice. Pure Swift, and a no-op for the usual
    /// string without one (Foundation's `replacingOccurrences` is slow on this hot path).
    public func doubling(_ quote: Character) -> String {
        guard contains(quote) else { return self }
        var result = ""
        result.reserveCapacity(utf8.count + 2)
        for character in self {
            result.append(character)
            if character == quote { result.append(quote) }
        }
        return result
    }
}
