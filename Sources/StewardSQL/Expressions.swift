import Foundation
import CPgQuery

/// Renders expression nodes (defaults, CHECK bodies, index predicates) back to SQL text.
///
/// The frequent shapes are rendered here directly; anything else goes through
/// libpg_query's own deparser, which is exact but costs a pack/unpack round trip.
enum Expressions {
    static func render(_ node: NodePointer) -> String {
        let value = node.pointee
        switch value.node_case {
        case PG_QUERY__NODE__NODE_A_CONST:
            return constant(value.a_const)
        case PG_QUERY__NODE__NODE_INTEGER:
            return String(value.integer.pointee.ival)
        case PG_QUERY__NODE__NODE_STRING:
            return text(value.string.pointee.sval)
        case PG_QUERY__NODE__NODE_TYPE_CAST:
            let cast = value.type_cast.pointee
            let operand = cast.arg.map(render) ?? ""
            return "\(operand)::\(TypeFormatting.dataType(cast.type_name).formatted)"
        case PG_QUERY__NODE__NODE_COLUMN_REF:
            let reference = value.column_ref.pointee
            return nodes(reference.n_fields, reference.fields).map { field in
                field.pointee.node_case == PG_QUERY__NODE__NODE_A_STAR ? "*" : Identifiers.quote(stringValue(field) ?? "")
            }.joined(separator: ".")
        case PG_QUERY__NODE__NODE_FUNC_CALL:
            let call = value.func_call.pointee
            guard call.agg_order == nil, call.agg_filter == nil, call.over == nil else { return deparse(node) }
            let name = strings(call.n_funcname, call.funcname).filter { $0 != "pg_catalog" }.joined(separator: ".")
            let arguments = call.agg_star != 0 ? "*" : nodes(call.n_args, call.args).map(render).joined(separator: ", ")
            return "\(name)(\(call.agg_distinct != 0 ? "DISTINCT " : "")\(arguments))"
        case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
            return sqlValueFunction(value.sqlvalue_function.pointee)
        case PG_QUERY__NODE__NODE_A_EXPR where value.a_expr.pointee.kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP:
            let expression = value.a_expr.pointee
            let op = strings(expression.n_name, expression.name).last ?? "?"
            let left = expression.lexpr.map(render)
            let right = expression.rexpr.map(render) ?? ""
            return left.map { "\($0) \(op) \(right)" } ?? "\(op) \(right)"
        case PG_QUERY__NODE__NODE_NULL_TEST:
            let test = value.null_test.pointee
            let operand = test.arg.map(render) ?? ""
            return operand + (test.nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL ? " IS NULL" : " IS NOT NULL")
        case PG_QUERY__NODE__NODE_BOOL_EXPR:
            let expression = value.bool_expr.pointee
            let operands = nodes(expression.n_args, expression.args).map { "(\(render($0)))" }
            switch expression.boolop {
            case PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR: return operands.joined(separator: " AND ")
            case PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR: return operands.joined(separator: " OR ")
            default: return "NOT " + operands.joined()
            }
        default:
            return deparse(node)
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

    /// Exact text for any expression: wrap it as `SELECT <expr>` in a one-statement parse
    /// result, pack it, and let libpg_query deparse it.
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
                        return withUnsafeMutablePointer(to: &selectNode) { selectNodePointer -> String in
                            var raw = PgQuery__RawStmt()
                            pg_query__raw_stmt__init(&raw)
                            raw.stmt = selectNodePointer
                            return withUnsafeMutablePointer(to: &raw) { rawPointer -> String in
                                var statements: [UnsafeMutablePointer<PgQuery__RawStmt>?] = [rawPointer]
                                return statements.withUnsafeMutableBufferPointer { statementList -> String in
                                    var result = PgQuery__ParseResult()
                                    pg_query__parse_result__init(&result)
                                    result.version = 150001
                                    result.n_stmts = 1
                                    result.stmts = statementList.baseAddress
                                    return deparsePacked(&result)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func deparsePacked(_ result: UnsafeMutablePointer<PgQuery__ParseResult>) -> String {
        let size = pg_query__parse_result__get_packed_size(result)
        var buffer = [UInt8](repeating: 0, count: size)
        return buffer.withUnsafeMutableBufferPointer { bytes -> String in
            _ = pg_query__parse_result__pack(result, bytes.baseAddress)
            let protobuf = PgQueryProtobuf(len: size, data: UnsafeMutableRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self))
            let deparsed = pg_query_deparse_protobuf(protobuf)
            defer { pg_query_free_deparse_result(deparsed) }
            guard deparsed.error == nil, let query = deparsed.query else { return "(expression)" }
            let sql = String(cString: query)
            return sql.hasPrefix("SELECT ") ? String(sql.dropFirst(7)) : sql
        }
    }
}
