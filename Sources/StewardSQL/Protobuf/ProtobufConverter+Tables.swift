import CPgQuery

// CREATE TABLE and ALTER TABLE: columns, constraints and their expressions.
extension ProtobufConverter {
    func createTable(_ statement: PgQuery__CreateStmt) -> CreateTable {
        var columns: [ColumnDefinition] = []
        var constraints: [ConstraintDefinition] = []
        var likeTables: [ObjectName] = []
        for element in nodes(statement.n_table_elts, statement.table_elts) {
            switch element.pointee.node_case {
            case PG_QUERY__NODE__NODE_COLUMN_DEF: columns.append(column(element.pointee.column_def.pointee))
            case PG_QUERY__NODE__NODE_CONSTRAINT: constraints.append(constraint(element.pointee.constraint.pointee))
            case PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE: likeTables.append(objectName(element.pointee.table_like_clause.pointee.relation))
            default: break
            }
        }
        constraints += nodes(statement.n_constraints, statement.constraints)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT }
            .map { constraint($0.pointee.constraint.pointee) }
        let inherits = nodes(statement.n_inh_relations, statement.inh_relations)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_RANGE_VAR }
            .map { objectName($0.pointee.range_var) }
        let persistence = statement.relation.map { text($0.pointee.relpersistence) } ?? ""
        return CreateTable(
            name: objectName(statement.relation),
            ifNotExists: statement.if_not_exists != 0,
            columns: columns,
            constraints: constraints,
            partitionOf: statement.partbound != nil ? inherits.first : nil,
            inherits: statement.partbound != nil ? [] : inherits,
            isPartitioned: statement.partspec != nil,
            likeTables: likeTables,
            isTemporary: persistence == "t",
            isUnlogged: persistence == "u",
            offset: at(statement.relation?.pointee.location))
    }

    func column(_ definition: PgQuery__ColumnDef) -> ColumnDefinition {
        var result = ColumnDefinition(
            name: text(definition.colname),
            type: ProtobufExpressions.dataType(definition.type_name),
            notNull: definition.is_not_null != 0,
            defaultExpression: definition.raw_default.map(ProtobufExpressions.render),
            defaultIsUntypedLiteral: definition.raw_default.map(ProtobufExpressions.isUntypedLiteral) ?? false,
            defaultIsNull: definition.raw_default.map(ProtobufExpressions.isNullConstant) ?? false,
            identity: nil, generated: nil, constraints: [],
            offset: at(definition.location),
            defaultCalls: definition.raw_default.map(protobufFunctionCalls(in:)) ?? [])
        for node in nodes(definition.n_constraints, definition.constraints) where node.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT {
            let constraint = node.pointee.constraint.pointee
            switch constraint.contype {
            case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: result.notNull = true
            case PG_QUERY__CONSTR_TYPE__CONSTR_NULL: result.notNull = false
            case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
                result.defaultExpression = constraint.raw_expr.map(ProtobufExpressions.render)
                result.defaultIsUntypedLiteral = constraint.raw_expr.map(ProtobufExpressions.isUntypedLiteral) ?? false
                result.defaultIsNull = constraint.raw_expr.map(ProtobufExpressions.isNullConstant) ?? false
                result.defaultCalls = constraint.raw_expr.map(protobufFunctionCalls(in:)) ?? []
            case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
                result.identity = text(constraint.generated_when) == "a" ? "always" : "by default"
            case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED: result.generated = constraint.raw_expr.map(ProtobufExpressions.renderTracked)
            case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY, PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE, PG_QUERY__CONSTR_TYPE__CONSTR_CHECK,
                 PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN, PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
                var converted = self.constraint(constraint)
                if converted.columns.isEmpty, converted.kind != .check { converted.columns = [result.name] }
                result.constraints.append(converted)
            case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE, PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
                // Attribute clauses apply to the constraint written just before them.
                if !result.constraints.isEmpty { result.constraints[result.constraints.count - 1].deferrable = true }
            default: break
            }
        }
        return result
    }

    func constraint(_ constraint: PgQuery__Constraint) -> ConstraintDefinition {
        let kind: ConstraintDefinition.Kind
        switch constraint.contype {
        case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY: kind = .primaryKey
        case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: kind = .unique
        case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: kind = .foreignKey
        case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION: kind = .exclusion
        default: kind = .check
        }
        var foreignKey: ForeignKeyReference?
        var columns = strings(constraint.n_keys, constraint.keys)
        if kind == .foreignKey {
            columns = strings(constraint.n_fk_attrs, constraint.fk_attrs)
            let tableOffset = at(constraint.pktable?.pointee.location ?? constraint.location)
            foreignKey = ForeignKeyReference(
                table: objectName(constraint.pktable),
                columns: strings(constraint.n_pk_attrs, constraint.pk_attrs),
                onDelete: ReferentialAction(code: text(constraint.fk_del_action)),
                onUpdate: ReferentialAction(code: text(constraint.fk_upd_action)),
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
            expression: constraint.raw_expr.map(ProtobufExpressions.renderTracked),
            expressionColumns: expressionColumns,
            notValid: constraint.skip_validation != 0,
            usingIndex: optionalText(constraint.indexname),
            deferrable: constraint.deferrable != 0,
            offset: at(constraint.location))
    }

    /// Distinct unqualified column names an expression reads, in order of first use.
    func columnReferences(_ node: NodePointer) -> [String] {
        var names: [String] = []
        func visit(_ node: NodePointer) {
            let value = node.pointee
            switch value.node_case {
            case PG_QUERY__NODE__NODE_COLUMN_REF:
                let reference = value.column_ref.pointee
                if let last = nodes(reference.n_fields, reference.fields).last.flatMap(stringValue), !names.contains(last) {
                    names.append(last)
                }
            case PG_QUERY__NODE__NODE_A_EXPR:
                value.a_expr.pointee.lexpr.map(visit)
                value.a_expr.pointee.rexpr.map(visit)
            case PG_QUERY__NODE__NODE_BOOL_EXPR:
                nodes(value.bool_expr.pointee.n_args, value.bool_expr.pointee.args).forEach(visit)
            case PG_QUERY__NODE__NODE_NULL_TEST: value.null_test.pointee.arg.map(visit)
            case PG_QUERY__NODE__NODE_TYPE_CAST: value.type_cast.pointee.arg.map(visit)
            case PG_QUERY__NODE__NODE_FUNC_CALL:
                nodes(value.func_call.pointee.n_args, value.func_call.pointee.args).forEach(visit)
            case PG_QUERY__NODE__NODE_LIST:
                nodes(value.list.pointee.n_items, value.list.pointee.items).forEach(visit)
            case PG_QUERY__NODE__NODE_BOOLEAN_TEST: value.boolean_test.pointee.arg.map(visit)
            case PG_QUERY__NODE__NODE_COALESCE_EXPR:
                nodes(value.coalesce_expr.pointee.n_args, value.coalesce_expr.pointee.args).forEach(visit)
            case PG_QUERY__NODE__NODE_CASE_EXPR:
                let expression = value.case_expr.pointee
                expression.arg.map(visit)
                nodes(expression.n_args, expression.args).forEach(visit)
                expression.defresult.map(visit)
            case PG_QUERY__NODE__NODE_CASE_WHEN:
                value.case_when.pointee.expr.map(visit)
                value.case_when.pointee.result.map(visit)
            case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
                nodes(value.a_array_expr.pointee.n_elements, value.a_array_expr.pointee.elements).forEach(visit)
            default: break
            }
        }
        visit(node)
        return names
    }

    func alterTable(_ statement: PgQuery__AlterTableStmt) -> AlterTable {
        var actions: [AlterTableAction] = []
        for node in nodes(statement.n_cmds, statement.cmds) where node.pointee.node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD {
            actions.append(alterAction(node.pointee.alter_table_cmd.pointee))
        }
        return AlterTable(name: objectName(statement.relation), relationKind: relationKind(statement.objtype),
                          ifExists: statement.missing_ok != 0, actions: actions,
                          offset: at(statement.relation?.pointee.location))
    }

    func alterAction(_ command: PgQuery__AlterTableCmd) -> AlterTableAction {
        let name = text(command.name)
        let cascade = command.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE
        switch command.subtype {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
            guard let def = command.def, def.pointee.node_case == PG_QUERY__NODE__NODE_COLUMN_DEF else { return .other("AT_AddColumn") }
            return .addColumn(column(def.pointee.column_def.pointee), ifNotExists: command.missing_ok != 0)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
            return .dropColumn(name: name, ifExists: command.missing_ok != 0, cascade: cascade)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
            guard let def = command.def, def.pointee.node_case == PG_QUERY__NODE__NODE_COLUMN_DEF else { return .other("AT_AlterColumnType") }
            let definition = def.pointee.column_def.pointee
            return .alterColumnType(column: name, type: ProtobufExpressions.dataType(definition.type_name),
                                    hasUsing: definition.raw_default != nil)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull: return .setNotNull(column: name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull: return .dropNotNull(column: name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
            if let def = command.def {
                return .setDefault(column: name, expression: ProtobufExpressions.render(def), untypedLiteral: ProtobufExpressions.isUntypedLiteral(def),
                                   isNull: ProtobufExpressions.isNullConstant(def))
            }
            return .dropDefault(column: name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
            guard let def = command.def, def.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT else { return .other("AT_AddConstraint") }
            return .addConstraint(constraint(def.pointee.constraint.pointee))
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
            return .dropConstraint(name: name, ifExists: command.missing_ok != 0, cascade: cascade)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint: return .validateConstraint(name: name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
            var kind = "by default"
            if let def = command.def, def.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT,
               text(def.pointee.constraint.pointee.generated_when) == "a" { kind = "always" }
            return .addIdentity(column: name, kind: kind)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity: return .dropIdentity(column: name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression: return .dropExpression(column: name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition, PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
            let attach = command.subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition
            guard let def = command.def, def.pointee.node_case == PG_QUERY__NODE__NODE_PARTITION_CMD else { return .other("AT_AttachPartition") }
            let partition = objectName(def.pointee.partition_cmd.pointee.name)
            return attach ? .attachPartition(partition) : .detachPartition(partition)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit, PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
            guard let def = command.def, def.pointee.node_case == PG_QUERY__NODE__NODE_RANGE_VAR else { return .other("AT_AddInherit") }
            let parent = objectName(def.pointee.range_var)
            return command.subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit ? .inherit(parent) : .noInherit(parent)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged: return .rewrite("SET LOGGED")
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged: return .rewrite("SET UNLOGGED")
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace: return .rewrite("SET TABLESPACE")
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod: return .rewrite("SET ACCESS METHOD")
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
            return .changeOwner(role: command.newowner.map { text($0.pointee.rolename) } ?? "")
        default:
            let subtype = withUnsafePointer(to: pg_query__alter_table_type__descriptor) { descriptor -> String in
                guard let value = protobuf_c_enum_descriptor_get_value(descriptor, Int32(bitPattern: command.subtype.rawValue)),
                      let name = value.pointee.name else { return "AT_\(command.subtype.rawValue)" }
                return String(cString: name)
            }
            return .other(subtype)
        }
    }
}
