internal import CPgQueryRaw

// CREATE TABLE and ALTER TABLE: columns, constraints and their expressions.
extension NodeConverter {
    func createTable(_ statement: CreateStmt) -> CreateTable {
        var columns: [ColumnDefinition] = []
        var constraints: [ConstraintDefinition] = []
        var likeTables: [ObjectName] = []
        for element in nodes(statement.tableElts) {
            switch element.tag {
            case T_ColumnDef: columns.append(column(element.as(ColumnDef.self).pointee))
            case T_Constraint: constraints.append(constraint(element.as(Constraint.self).pointee))
            case T_TableLikeClause: likeTables.append(objectName(element.as(TableLikeClause.self).pointee.relation))
            default: break
            }
        }
        constraints += nodes(statement.constraints).filter { $0.tag == T_Constraint }.map { constraint($0.as(Constraint.self).pointee) }
        let inherits = nodes(statement.inhRelations).filter { $0.tag == T_RangeVar }.map { objectName($0.as(RangeVar.self)) }
        let persistence = statement.relation.map { $0.pointee.relpersistence } ?? 0
        return CreateTable(
            name: objectName(statement.relation),
            ifNotExists: statement.if_not_exists,
            columns: columns,
            constraints: constraints,
            partitionOf: statement.partbound != nil ? inherits.first : nil,
            inherits: statement.partbound != nil ? [] : inherits,
            isPartitioned: statement.partspec != nil,
            likeTables: likeTables,
            isTemporary: persistence == temporaryPersistence,
            isUnlogged: persistence == CChar(UInt8(ascii: "u")),
            offset: at(statement.relation?.pointee.location))
    }

    func column(_ definition: ColumnDef) -> ColumnDefinition {
        var result = ColumnDefinition(
            name: text(definition.colname),
            type: TypeFormatting.dataType(definition.typeName),
            notNull: definition.is_not_null,
            defaultExpression: definition.raw_default.map(Expressions.render),
            defaultIsUntypedLiteral: definition.raw_default.map(Expressions.isUntypedLiteral) ?? false,
            defaultIsNull: definition.raw_default.map(Expressions.isNullConstant) ?? false,
            identity: nil, generated: nil, constraints: [],
            offset: at(definition.location),
            defaultCalls: definition.raw_default.map(functionCalls(in:)) ?? [])
        for node in nodes(definition.constraints) where node.tag == T_Constraint {
            let constraint = node.as(Constraint.self).pointee
            switch constraint.contype {
            case CONSTR_NOTNULL: result.notNull = true
            case CONSTR_NULL: result.notNull = false
            case CONSTR_DEFAULT:
                result.defaultExpression = constraint.raw_expr.map(Expressions.render)
                result.defaultIsUntypedLiteral = constraint.raw_expr.map(Expressions.isUntypedLiteral) ?? false
                result.defaultIsNull = constraint.raw_expr.map(Expressions.isNullConstant) ?? false
                result.defaultCalls = constraint.raw_expr.map(functionCalls(in:)) ?? []
            case CONSTR_IDENTITY:
                result.identity = constraint.generated_when == CChar(UInt8(ascii: "a")) ? "always" : "by default"
            case CONSTR_GENERATED: result.generated = constraint.raw_expr.map(Expressions.renderTracked)
            case CONSTR_PRIMARY, CONSTR_UNIQUE, CONSTR_CHECK, CONSTR_FOREIGN, CONSTR_EXCLUSION:
                var converted = self.constraint(constraint)
                if converted.columns.isEmpty, converted.kind != .check { converted.columns = [result.name] }
                result.constraints.append(converted)
            case CONSTR_ATTR_DEFERRABLE, CONSTR_ATTR_DEFERRED:
                // Attribute clauses apply to the constraint written just before them.
                if !result.constraints.isEmpty { result.constraints[result.constraints.count - 1].deferrable = true }
            default: break
            }
        }
        return result
    }

    func constraint(_ constraint: Constraint) -> ConstraintDefinition {
        let kind: ConstraintDefinition.Kind
        switch constraint.contype {
        case CONSTR_PRIMARY: kind = .primaryKey
        case CONSTR_UNIQUE: kind = .unique
        case CONSTR_FOREIGN: kind = .foreignKey
        case CONSTR_EXCLUSION: kind = .exclusion
        default: kind = .check
        }
        var foreignKey: ForeignKeyReference?
        var columns = strings(constraint.keys)
        if kind == .foreignKey {
            columns = strings(constraint.fk_attrs)
            let tableOffset = at(constraint.pktable?.pointee.location ?? constraint.location)
            foreignKey = ForeignKeyReference(
                table: objectName(constraint.pktable),
                columns: strings(constraint.pk_attrs),
                onDelete: ReferentialAction(code: characterCode(constraint.fk_del_action)),
                onUpdate: ReferentialAction(code: characterCode(constraint.fk_upd_action)),
                referencesOffset: Trivia.keywordBefore("references", offset: tableOffset, in: source.bytes) ?? tableOffset)
        }
        var expressionColumns: [String] = []
        if kind == .check, let expression = constraint.raw_expr {
            expressionColumns = columnReferences(expression)
        }
        return ConstraintDefinition(
            kind: kind,
            name: optionalText(constraint.conname),
            columns: columns,
            foreignKey: foreignKey,
            expression: constraint.raw_expr.map(Expressions.renderTracked),
            expressionColumns: expressionColumns,
            notValid: constraint.skip_validation,
            usingIndex: optionalText(constraint.indexname),
            deferrable: constraint.deferrable,
            offset: at(constraint.location))
    }

    /// Distinct unqualified column names an expression reads, in order of first use.
    func columnReferences(_ node: RawNode) -> [String] {
        var names: [String] = []
        func visit(_ node: RawNode?) {
            guard let node else { return }
            switch node.tag {
            case T_ColumnRef:
                if let last = nodes(node.as(ColumnRef.self).pointee.fields).last.flatMap(stringValue), !names.contains(last) {
                    names.append(last)
                }
            case T_A_Expr:
                visit(node.as(A_Expr.self).pointee.lexpr)
                visit(node.as(A_Expr.self).pointee.rexpr)
            case T_BoolExpr: nodes(node.as(BoolExpr.self).pointee.args).forEach(visit)
            case T_NullTest: visit(expressionNode(node.as(NullTest.self).pointee.arg))
            case T_TypeCast: visit(node.as(TypeCast.self).pointee.arg)
            case T_FuncCall: nodes(node.as(FuncCall.self).pointee.args).forEach(visit)
            case T_List: nodes(node.as(List.self)).forEach(visit)
            case T_BooleanTest: visit(expressionNode(node.as(BooleanTest.self).pointee.arg))
            case T_CoalesceExpr: nodes(node.as(CoalesceExpr.self).pointee.args).forEach(visit)
            case T_CaseExpr:
                let expression = node.as(CaseExpr.self).pointee
                visit(expressionNode(expression.arg))
                nodes(expression.args).forEach(visit)
                visit(expressionNode(expression.defresult))
            case T_CaseWhen:
                visit(expressionNode(node.as(CaseWhen.self).pointee.expr))
                visit(expressionNode(node.as(CaseWhen.self).pointee.result))
            case T_A_ArrayExpr: nodes(node.as(A_ArrayExpr.self).pointee.elements).forEach(visit)
            default: break
            }
        }
        visit(node)
        return names
    }

    func alterTable(_ statement: AlterTableStmt) -> AlterTable {
        let actions = nodes(statement.cmds).filter { $0.tag == T_AlterTableCmd }.map { alterAction($0.as(AlterTableCmd.self).pointee) }
        return AlterTable(name: objectName(statement.relation), relationKind: relationKind(statement.objtype),
                          ifExists: statement.missing_ok, actions: actions,
                          offset: at(statement.relation?.pointee.location))
    }

    func alterAction(_ command: AlterTableCmd) -> AlterTableAction {
        let name = text(command.name)
        let cascade = command.behavior == DROP_CASCADE
        switch command.subtype {
        case AT_AddColumn:
            guard let def = command.def, def.tag == T_ColumnDef else { return .other("AT_AddColumn") }
            return .addColumn(column(def.as(ColumnDef.self).pointee), ifNotExists: command.missing_ok)
        case AT_DropColumn:
            return .dropColumn(name: name, ifExists: command.missing_ok, cascade: cascade)
        case AT_AlterColumnType:
            guard let def = command.def, def.tag == T_ColumnDef else { return .other("AT_AlterColumnType") }
            let definition = def.as(ColumnDef.self).pointee
            return .alterColumnType(column: name, type: TypeFormatting.dataType(definition.typeName),
                                    hasUsing: definition.raw_default != nil)
        case AT_SetNotNull: return .setNotNull(column: name)
        case AT_DropNotNull: return .dropNotNull(column: name)
        case AT_ColumnDefault:
            if let def = command.def {
                return .setDefault(column: name, expression: Expressions.render(def), untypedLiteral: Expressions.isUntypedLiteral(def),
                                   isNull: Expressions.isNullConstant(def))
            }
            return .dropDefault(column: name)
        case AT_AddConstraint:
            guard let def = command.def, def.tag == T_Constraint else { return .other("AT_AddConstraint") }
            return .addConstraint(constraint(def.as(Constraint.self).pointee))
        case AT_DropConstraint:
            return .dropConstraint(name: name, ifExists: command.missing_ok, cascade: cascade)
        case AT_ValidateConstraint: return .validateConstraint(name: name)
        case AT_AddIdentity:
            var kind = "by default"
            if let def = command.def, def.tag == T_Constraint,
               def.as(Constraint.self).pointee.generated_when == CChar(UInt8(ascii: "a")) { kind = "always" }
            return .addIdentity(column: name, kind: kind)
        case AT_DropIdentity: return .dropIdentity(column: name)
        case AT_DropExpression: return .dropExpression(column: name)
        case AT_AttachPartition, AT_DetachPartition:
            guard let def = command.def, def.tag == T_PartitionCmd else { return .other("AT_AttachPartition") }
            let partition = objectName(def.as(PartitionCmd.self).pointee.name)
            return command.subtype == AT_AttachPartition ? .attachPartition(partition) : .detachPartition(partition)
        case AT_AddInherit, AT_DropInherit:
            guard let def = command.def, def.tag == T_RangeVar else { return .other("AT_AddInherit") }
            let parent = objectName(def.as(RangeVar.self))
            return command.subtype == AT_AddInherit ? .inherit(parent) : .noInherit(parent)
        case AT_SetLogged: return .rewrite("SET LOGGED")
        case AT_SetUnLogged: return .rewrite("SET UNLOGGED")
        case AT_SetTableSpace: return .rewrite("SET TABLESPACE")
        case AT_SetAccessMethod: return .rewrite("SET ACCESS METHOD")
        case AT_ChangeOwner:
            return .changeOwner(role: command.newowner.map { text($0.pointee.rolename) } ?? "")
        default:
            return .other(EnumNames.alterTableType(command.subtype.rawValue))
        }
    }
}
