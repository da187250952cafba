import Foundation
internal import CPgQueryRaw

/// Renders expression nodes (defaults, CHECK bodies, index keys and predicates) back to SQL.
///
/// The frequent shapes are rendered here directly; anything else goes through libpg_query's
/// own deparser, which is exact but costs a serialisation round trip. An operand that is not
/// an atom (a column, a constant, a function call…) is always parenthesised, so the text
/// parses back to the same tree whatever the operators' precedence: `(1 + 2) * 3` stays
/// that, not `1 + 2 * 3` (`ExpressionRenderingTests` proves it against the deparser).
enum Expressions {
    static func render(_ node: RawNode) -> String {
        var writer = ExpressionWriter()
        write(node, to: &writer)
        return writer.text
    }

    /// The text with the places where it names columns, so that it can follow renames.
    static func renderTracked(_ node: RawNode) -> RenderedExpression {
        var writer = ExpressionWriter()
        write(node, to: &writer)
        return RenderedExpression(text: writer.text, columns: writer.columns, isOpaque: writer.isOpaque)
    }

    private static func write(_ node: RawNode, to writer: inout ExpressionWriter) {
        switch node.tag {
        case T_A_Const:
            writer.append(constant(node.as(A_Const.self)))
        case T_Integer:
            writer.append(String(node.as(Integer.self).pointee.ival))
        case T_String:
            writer.append(stringValue(node) ?? "")
        case T_TypeCast:
            let cast = node.as(TypeCast.self).pointee
            // `(-1)::bigint`: a negative constant is an operator application once printed.
            guard let argument = cast.arg, isAtom(argument), !isNegativeConstant(argument) else { return writer.appendOpaque(deparse(node)) }
            write(argument, to: &writer)
            writer.append("::" + TypeFormatting.dataType(cast.typeName).formatted)
        case T_ColumnRef:
            let fields = nodes(node.as(ColumnRef.self).pointee.fields)
            if fields.count == 1, let name = stringValue(fields[0]) {
                writer.appendColumn(name)
            } else {
                // Qualified (`t.c`) or `*`: printed, but not followed through renames.
                writer.appendOpaque(fields.map { field in
                    field.tag == T_A_Star ? "*" : Identifiers.quote(stringValue(field) ?? "")
                }.joined(separator: "."))
            }
        case T_FuncCall:
            let call = node.as(FuncCall.self).pointee
            guard isPlainCall(call) else { return writer.appendOpaque(deparse(node)) }
            writer.append(strings(call.funcname).filter { $0 != "pg_catalog" }.map(Identifiers.quote).joined(separator: ".") + "(")
            if call.agg_distinct { writer.append("DISTINCT ") }
            if call.agg_star { writer.append("*") }
            for (index, argument) in nodes(call.args).enumerated() {
                if index > 0 { writer.append(", ") }
                write(argument, to: &writer)
            }
            writer.append(")")
        case T_SQLValueFunction:
            writer.append(sqlValueFunction(node.as(SQLValueFunction.self).pointee))
        case T_A_Expr where node.as(A_Expr.self).pointee.kind == AEXPR_OP:
            let expression = node.as(A_Expr.self).pointee
            let name = strings(expression.name)
            // Qualified operators (`OPERATOR(pg_catalog.+)`) and prefix operators: the deparser.
            guard name.count == 1, let left = expression.lexpr, let right = expression.rexpr else { return writer.appendOpaque(deparse(node)) }
            writeOperand(left, to: &writer)
            writer.append(" \(name[0]) ")
            writeOperand(right, to: &writer)
        case T_NullTest:
            let test = node.as(NullTest.self).pointee
            guard let argument = expressionNode(test.arg) else { return writer.appendOpaque(deparse(node)) }
            writeOperand(argument, to: &writer)
            writer.append(test.nulltesttype == IS_NULL ? " IS NULL" : " IS NOT NULL")
        case T_BoolExpr:
            let expression = node.as(BoolExpr.self).pointee
            let separator: String
            switch expression.boolop {
            case AND_EXPR: separator = " AND "
            case OR_EXPR: separator = " OR "
            default:
                separator = ""
                writer.append("NOT ")
            }
            for (index, argument) in nodes(expression.args).enumerated() {
                if index > 0 { writer.append(separator) }
                writeOperand(argument, to: &writer)
            }
        default:
            writer.appendOpaque(deparse(node))
        }
    }

    /// A string constant or NULL: its type is the column's, fixed when the default is stored
    /// (`DEFAULT 'USD'` on a `char(3)` column is `'USD'::bpchar` for good).
    static func isUntypedLiteral(_ node: RawNode) -> Bool {
        guard node.tag == T_A_Const else { return false }
        let constant = node.as(A_Const.self).pointee
        return constant.isnull || constant.val.node.type == T_String
    }

    static func isNullConstant(_ node: RawNode) -> Bool {
        node.tag == T_A_Const && node.as(A_Const.self).pointee.isnull
    }

    /// An operand of an operator: parenthesised unless it is an atom.
    private static func writeOperand(_ node: RawNode, to writer: inout ExpressionWriter) {
        let bare = isAtom(node) && !isNegativeConstant(node)
        if !bare { writer.append("(") }
        write(node, to: &writer)
        if !bare { writer.append(")") }
    }

    /// Nodes whose text binds tighter than any operator, so they never need parentheses.
    private static func isAtom(_ node: RawNode) -> Bool {
        switch node.tag {
        case T_A_Const, T_ColumnRef, T_SQLValueFunction, T_ParamRef:
            return true
        case T_FuncCall:
            return isPlainCall(node.as(FuncCall.self).pointee)
        case T_TypeCast:
            return node.as(TypeCast.self).pointee.arg.map { isAtom($0) && !isNegativeConstant($0) } ?? false
        default:
            return false
        }
    }

    /// A call without aggregate decorations, written `name(args)`.
    private static func isPlainCall(_ call: FuncCall) -> Bool {
        call.agg_order == nil && call.agg_filter == nil && call.over == nil && !call.agg_within_group && !call.func_variadic
            && call.funcformat == COERCE_EXPLICIT_CALL
    }

    private static func isNegativeConstant(_ node: RawNode) -> Bool {
        guard node.tag == T_A_Const else { return false }
        let constant = node.as(A_Const.self).pointee
        guard !constant.isnull else { return false }
        switch constant.val.node.type {
        case T_Integer: return constant.val.ival.ival < 0
        case T_Float: return text(constant.val.fval.fval).hasPrefix("-")
        default: return false
        }
    }

    private static func constant(_ pointer: UnsafeMutablePointer<A_Const>) -> String {
        let constant = pointer.pointee
        guard !constant.isnull else { return "NULL" }
        switch constant.val.node.type {
        case T_Integer: return String(constant.val.ival.ival)
        case T_Float: return text(constant.val.fval.fval)
        case T_Boolean: return constant.val.boolval.boolval ? "true" : "false"
        case T_String: return "'" + text(constant.val.sval.sval).doubling("'") + "'"
        case T_BitString: return "B'" + text(constant.val.bsval.bsval).dropFirst() + "'"
        default: return "NULL"
        }
    }

    private static func sqlValueFunction(_ function: SQLValueFunction) -> String {
        let precision = function.typmod >= 0 ? "(\(function.typmod))" : ""
        switch function.op {
        case SVFOP_CURRENT_DATE: return "CURRENT_DATE"
        case SVFOP_CURRENT_TIME, SVFOP_CURRENT_TIME_N: return "CURRENT_TIME" + precision
        case SVFOP_CURRENT_TIMESTAMP, SVFOP_CURRENT_TIMESTAMP_N: return "CURRENT_TIMESTAMP" + precision
        case SVFOP_LOCALTIME, SVFOP_LOCALTIME_N: return "LOCALTIME" + precision
        case SVFOP_LOCALTIMESTAMP, SVFOP_LOCALTIMESTAMP_N: return "LOCALTIMESTAMP" + precision
        case SVFOP_CURRENT_ROLE: return "CURRENT_ROLE"
        case SVFOP_CURRENT_USER: return "CURRENT_USER"
        case SVFOP_USER: return "USER"
        case SVFOP_SESSION_USER: return "SESSION_USER"
        case SVFOP_CURRENT_CATALOG: return "CURRENT_CATALOG"
        case SVFOP_CURRENT_SCHEMA: return "CURRENT_SCHEMA"
        default: return "CURRENT_TIMESTAMP"
        }
    }

    /// Exact text for any expression: libpg_query's deparser prints it as `SELECT <expr>`.
    static func deparse(_ expression: RawNode) -> String {
        guard let printed = steward_raw_deparse_expression(expression) else { return "(expression)" }
        defer { free(printed) }
        let sql = String(cString: printed)
        return sql.hasPrefix("SELECT ") ? String(sql.dropFirst(7)) : sql
    }

    /// A whole statement (a view's query) as libpg_query's deparser prints it; nil if it cannot.
    static func deparseStatement(_ statement: RawNode) -> String? {
        guard let printed = steward_raw_deparse_statement(statement) else { return nil }
        defer { free(printed) }
        return String(cString: printed)
    }
}

/// An `Expr *` field (NullTest's and BooleanTest's argument, CASE parts) as a node.
@inline(__always)
func expressionNode(_ expression: UnsafeMutablePointer<Expr>?) -> RawNode? {
    expression.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Node.self) }
}

