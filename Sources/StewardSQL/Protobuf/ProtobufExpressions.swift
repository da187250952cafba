import Foundation
import CPgQuery

/// Renders expression nodes (defaults, CHECK bodies, index keys and predicates) back to SQL.
///
/// The frequent shapes are rendered here directly; anything else goes through libpg_query's
/// own deparser, which is exact but costs a pack/unpack round trip. An operand that is not
/// an atom (a column, a constant, a function call…) is always parenthesised, so the text
/// parses back to the same tree whatever the operators' precedence: `(1 + 2) * 3` stays
/// that, not `1 + 2 * 3` (`ExpressionRenderingTests` proves it against the deparser).
enum ProtobufExpressions {
    static func render(_ node: NodePointer) -> String {
        var writer = ExpressionWriter()
        write(node, to: &writer)
        return writer.text
    }

    /// The text with the places where it names columns, so that it can follow renames.
    static func renderTracked(_ node: NodePointer) -> RenderedExpression {
        var writer = ExpressionWriter()
        write(node, to: &writer)
        return RenderedExpression(text: writer.text, columns: writer.columns, isOpaque: writer.isOpaque)
    }

    private static func write(_ node: NodePointer, to writer: inout ExpressionWriter) {
        let value = node.pointee
        switch value.node_case {
        case PG_QUERY__NODE__NODE_A_CONST:
            writer.append(constant(value.a_const))
        case PG_QUERY__NODE__NODE_INTEGER:
            writer.append(String(value.integer.pointee.ival))
        case PG_QUERY__NODE__NODE_STRING:
            writer.append(text(value.string.pointee.sval))
        case PG_QUERY__NODE__NODE_TYPE_CAST:
            let cast = value.type_cast.pointee
            // `(-1)::bigint`: a negative constant is an operator application once printed.
            guard let argument = cast.arg, isAtom(argument), !isNegativeConstant(argument) else { return writer.appendOpaque(deparse(node)) }
            write(argument, to: &writer)
            writer.append("::" + ProtobufExpressions.dataType(cast.type_name).formatted)
        case PG_QUERY__NODE__NODE_COLUMN_REF:
            let fields = nodes(value.column_ref.pointee.n_fields, value.column_ref.pointee.fields)
            if fields.count == 1, let name = stringValue(fields[0]) {
                writer.appendColumn(name)
            } else {
                // Qualified (`t.c`) or `*`: printed, but not followed through renames.
                writer.appendOpaque(fields.map { field in
                    field.pointee.node_case == PG_QUERY__NODE__NODE_A_STAR ? "*" : Identifiers.quote(stringValue(field) ?? "")
                }.joined(separator: "."))
            }
        case PG_QUERY__NODE__NODE_FUNC_CALL:
            let call = value.func_call.pointee
            guard isPlainCall(call) else { return writer.appendOpaque(deparse(node)) }
            writer.append(strings(call.n_funcname, call.funcname).filter { $0 != "pg_catalog" }.map(Identifiers.quote).joined(separator: ".") + "(")
            if call.agg_distinct != 0 { writer.append("DISTINCT ") }
            if call.agg_star != 0 { writer.append("*") }
            for (index, argument) in nodes(call.n_args, call.args).enumerated() {
                if index > 0 { writer.append(", ") }
                write(argument, to: &writer)
            }
            writer.append(")")
        case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
            writer.append(sqlValueFunction(value.sqlvalue_function.pointee))
        case PG_QUERY__NODE__NODE_A_EXPR where value.a_expr.pointee.kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP:
            let expression = value.a_expr.pointee
            let name = strings(expression.n_name, expression.name)
            // Qualified operators (`OPERATOR(pg_catalog.+)`) and prefix operators: the deparser.
            guard name.count == 1, let left = expression.lexpr, let right = expression.rexpr else { return writer.appendOpaque(deparse(node)) }
            writeOperand(left, to: &writer)
            writer.append(" \(name[0]) ")
            writeOperand(right, to: &writer)
        case PG_QUERY__NODE__NODE_NULL_TEST:
            let test = value.null_test.pointee
            guard let argument = test.arg else { return writer.appendOpaque(deparse(node)) }
            writeOperand(argument, to: &writer)
            writer.append(test.nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL ? " IS NULL" : " IS NOT NULL")
        case PG_QUERY__NODE__NODE_BOOL_EXPR:
            let expression = value.bool_expr.pointee
            let separator: String
            switch expression.boolop {
            case PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR: separator = " AND "
            case PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR: separator = " OR "
            default:
                separator = ""
                writer.append("NOT ")
            }
            for (index, argument) in nodes(expression.n_args, expression.args).enumerated() {
                if index > 0 { writer.append(separator) }
                writeOperand(argument, to: &writer)
            }
        default:
            writer.appendOpaque(deparse(node))
        }
    }

    /// A string constant or NULL: its type is the column's, fixed when the default is stored
    /// (`DEFAULT 'USD'` on a `char(3)` column is `'USD'::bpchar` for good).
    static func isUntypedLiteral(_ node: NodePointer) -> Bool {
        guard node.pointee.node_case == PG_QUERY__NODE__NODE_A_CONST, let constant = node.pointee.a_const?.pointee else { return false }
        return constant.isnull != 0 || constant.val_case == PG_QUERY__A__CONST__VAL_SVAL
    }

    static func isNullConstant(_ node: NodePointer) -> Bool {
        node.pointee.node_case == PG_QUERY__NODE__NODE_A_CONST && node.pointee.a_const?.pointee.isnull != 0
    }

    /// An operand of an operator: parenthesised unless it is an atom.
    private static func writeOperand(_ node: NodePointer, to writer: inout ExpressionWriter) {
        let bare = isAtom(node) && !isNegativeConstant(node)
        if !bare { writer.append("(") }
        write(node, to: &writer)
        if !bare { writer.append(")") }
    }

    /// Nodes whose text binds tighter than any operator, so they never need parentheses.
    private static func isAtom(_ node: NodePointer) -> Bool {
        switch node.pointee.node_case {
        case PG_QUERY__NODE__NODE_A_CONST, PG_QUERY__NODE__NODE_COLUMN_REF, PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION,
             PG_QUERY__NODE__NODE_PARAM_REF:
            return true
        case PG_QUERY__NODE__NODE_FUNC_CALL:
            return isPlainCall(node.pointee.func_call.pointee)
        case PG_QUERY__NODE__NODE_TYPE_CAST:
            return node.pointee.type_cast.pointee.arg.map { isAtom($0) && !isNegativeConstant($0) } ?? false
        default:
            return false
        }
    }

    /// A call without aggregate decorations, written `name(args)`.
    private static func isPlainCall(_ call: PgQuery__FuncCall) -> Bool {
        call.agg_order == nil && call.agg_filter == nil && call.over == nil && call.agg_within_group == 0 && call.func_variadic == 0
            && call.funcformat == PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL
    }

    private static func isNegativeConstant(_ node: NodePointer) -> Bool {
        guard node.pointee.node_case == PG_QUERY__NODE__NODE_A_CONST, let constant = node.pointee.a_const?.pointee else { return false }
        switch constant.val_case {
        case PG_QUERY__A__CONST__VAL_IVAL: return (constant.ival?.pointee.ival ?? 0) < 0
        case PG_QUERY__A__CONST__VAL_FVAL: return text(constant.fval?.pointee.fval).hasPrefix("-")
        default: return false
        }
    }

    private static func constant(_ pointer: UnsafeMutablePointer<PgQuery__AConst>?) -> String {
        guard let constant = pointer?.pointee, constant.isnull == 0 else { return "NULL" }
        switch constant.val_case {
        case PG_QUERY__A__CONST__VAL_IVAL: return String(constant.ival?.pointee.ival ?? 0)
        case PG_QUERY__A__CONST__VAL_FVAL: return text(constant.fval?.pointee.fval)
        case PG_QUERY__A__CONST__VAL_BOOLVAL: return constant.boolval?.pointee.boolval != 0 ? "true" : "false"
        case PG_QUERY__A__CONST__VAL_SVAL:
            return "'" + text(constant.sval?.pointee.sval).doubling("'") + "'"
        case PG_QUERY__A__CONST__VAL_BSVAL: return "B'" + text(constant.bsval?.pointee.bsval).dropFirst() + "'"
        default: return "NULL"
        }
    }

    private static func sqlValueFunction(_ function: PgQuery__SQLValueFunction) -> String {
        let precision = function.typmod >= 0 ? "(\(function.typmod))" : ""
        switch function.op {
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: return "CURRENT_DATE"
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME, PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
            return "CURRENT_TIME" + precision
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP, PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
            return "CURRENT_TIMESTAMP" + precision
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME, PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
            return "LOCALTIME" + precision
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP, PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
            return "LOCALTIMESTAMP" + precision
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE: return "CURRENT_ROLE"
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER: return "CURRENT_USER"
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER: return "USER"
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER: return "SESSION_USER"
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG: return "CURRENT_CATALOG"
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: return "CURRENT_SCHEMA"
        default: return "CURRENT_TIMESTAMP"
        }
    }

    /// Exact text for any expression: wrap it as `SELECT <expr>` and let libpg_query deparse it.
    static func deparse(_ expression: NodePointer) -> String {
        var target = PgQuery__ResTarget()
        pg_query__res_target__init(&target)
        target.val = expression
        return withUnsafeMutablePointer(to: &target) { targetPointer -> String in
            var targetNode = PgQuery__Node()
            pg_query__node__init(&targetNode)
            targetNode.node_case = PG_QUERY__NODE__NODE_RES_TARGET
            targetNode.res_target = targetPointer
            return withUnsafeMutablePointer(to: &targetNode) { targetNodePointer -> String in
                var targetList: [NodePointer?] = [targetNodePointer]
                return targetList.withUnsafeMutableBufferPointer { list -> String in
                    var select = PgQuery__SelectStmt()
                    pg_query__select_stmt__init(&select)
                    select.n_target_list = 1
                    select.target_list = list.baseAddress
                    return withUnsafeMutablePointer(to: &select) { selectPointer -> String in
                        var selectNode = PgQuery__Node()
                        pg_query__node__init(&selectNode)
                        selectNode.node_case = PG_QUERY__NODE__NODE_SELECT_STMT
                        selectNode.select_stmt = selectPointer
                        let sql = withUnsafeMutablePointer(to: &selectNode) { deparseStatement($0) } ?? "(expression)"
                        return sql.hasPrefix("SELECT ") ? String(sql.dropFirst(7)) : sql
                    }
                }
            }
        }
    }

    /// A whole statement (a view's query) as libpg_query's deparser prints it; nil if it cannot.
    static func deparseStatement(_ statement: NodePointer) -> String? {
        var raw = PgQuery__RawStmt()
        pg_query__raw_stmt__init(&raw)
        raw.stmt = statement
        return withUnsafeMutablePointer(to: &raw) { rawPointer -> String? in
            var statements: [UnsafeMutablePointer<PgQuery__RawStmt>?] = [rawPointer]
            return statements.withUnsafeMutableBufferPointer { statementList -> String? in
                var result = PgQuery__ParseResult()
                pg_query__parse_result__init(&result)
                result.version = PG_VERSION_NUM
                result.n_stmts = 1
                result.stmts = statementList.baseAddress
                return deparsePacked(&result)
            }
        }
    }

    private static func deparsePacked(_ result: UnsafeMutablePointer<PgQuery__ParseResult>) -> String? {
        let size = pg_query__parse_result__get_packed_size(result)
        var buffer = [UInt8](repeating: 0, count: size)
        return buffer.withUnsafeMutableBufferPointer { bytes -> String? in
            _ = pg_query__parse_result__pack(result, bytes.baseAddress)
            let protobuf = PgQueryProtobuf(len: size, data: UnsafeMutableRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self))
            let deparsed = pg_query_deparse_protobuf(protobuf)
            defer { pg_query_free_deparse_result(deparsed) }
            guard deparsed.error == nil, let query = deparsed.query else { return nil }
            return String(cString: query)
        }
    }
}


extension ProtobufExpressions {
    static func dataType(_ typeName: UnsafeMutablePointer<PgQuery__TypeName>?) -> DataType {
        guard let typeName else { return DataType(formatted: "unknown") }
        let parts = strings(typeName.pointee.n_names, typeName.pointee.names)
        let modifiers = nodes(typeName.pointee.n_typmods, typeName.pointee.typmods).map(ProtobufExpressions.render)
        let dimensions = typeName.pointee.n_array_bounds
        let arraySuffix = dimensions > 0 ? "[]" : ""

        let schema = parts.count >= 2 ? parts[parts.count - 2] : nil
        let name = parts.last ?? "unknown"
        if schema == nil || schema == "pg_catalog", let builtin = TypeFormatting.builtinName(name, modifiers: modifiers) {
            // The same type without its modifiers (typmod -1): how Postgres types a constant.
            let unmodified = modifiers.isEmpty ? builtin.name : (TypeFormatting.builtinName(name, modifiers: [])?.name ?? builtin.name)
            return DataType(formatted: builtin.name + arraySuffix, isSerial: builtin.serial, arrayDimensions: dimensions,
                            unmodified: (name == "bit" ? "bit" : unmodified) + arraySuffix)
        }
        let user = ObjectName(schema: schema, name: name)
        return DataType(formatted: TypeFormatting.formatUserType(user) + arraySuffix, userType: user, arrayDimensions: dimensions)
    }

}
