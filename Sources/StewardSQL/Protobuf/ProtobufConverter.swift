import Foundation
import CPgQuery

/// Turns libpg_query's protobuf-c structs into `Statement` values. Only what the schema
/// model and the rules need is read; every other statement becomes `.other(kind:)`.
struct ProtobufConverter {
    /// The whole file; the parsed text is `source.bytes[base...]`.
    let source: SourceText
    let base: Int
    let end: Int

    /// A parse-node location (relative to the parsed text, -1 when unknown) as a file offset.
    @inline(__always)
    func at(_ location: Int32?) -> Int { base + Int(max(0, location ?? 0)) }

    /// libpg_query's `stmt_location` starts right after the previous `;`, so leading
    /// whitespace and comments are skipped to point at the statement's first token.
    func statementRange(location: Int, length: Int) -> Range<Int> {
        let bytes = source.bytes
        var end = length == 0 ? self.end : min(self.end, base + location + length)
        let start = Trivia.skip(bytes, from: base + max(0, location), to: end)
        while end > start, Trivia.isSpace(bytes[end - 1]) { end -= 1 }
        return start..<max(start, end)
    }

    func statement(_ node: NodePointer) -> Statement {
        let value = node.pointee
        switch value.node_case {
        case PG_QUERY__NODE__NODE_CREATE_STMT: return .createTable(createTable(value.create_stmt.pointee))
        case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: return .alterTable(alterTable(value.alter_table_stmt.pointee))
        case PG_QUERY__NODE__NODE_INDEX_STMT: return .createIndex(createIndex(value.index_stmt.pointee))
        case PG_QUERY__NODE__NODE_DROP_STMT: return .drop(drop(value.drop_stmt.pointee))
        case PG_QUERY__NODE__NODE_RENAME_STMT: return .rename(rename(value.rename_stmt.pointee))
        case PG_QUERY__NODE__NODE_VIEW_STMT: return .createView(view(value.view_stmt.pointee))
        case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
            let statement = value.create_table_as_stmt.pointee
            if statement.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW { return .createView(materializedView(statement)) }
            let relation = statement.into?.pointee.rel
            return .createTableAs(name: objectName(relation), temporary: relation.map { text($0.pointee.relpersistence) == "t" } ?? false)
        case PG_QUERY__NODE__NODE_SELECT_STMT:
            if let into = value.select_stmt.pointee.into_clause?.pointee.rel {
                return .createTableAs(name: objectName(into), temporary: text(into.pointee.relpersistence) == "t")
            }
            return .invocation(kind: "SelectStmt", functions: protobufFunctionCalls(in: node))
        case PG_QUERY__NODE__NODE_CALL_STMT:
            return .invocation(kind: "CallStmt", functions: protobufFunctionCalls(in: node))
        case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
            let statement = value.create_enum_stmt.pointee
            let values = nodes(statement.n_vals, statement.vals).compactMap(stringValue)
            return .createEnum(CreateEnum(name: objectName(strings(statement.n_type_name, statement.type_name)), values: values))
        case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
            let statement = value.composite_type_stmt.pointee
            let attributes = nodes(statement.n_coldeflist, statement.coldeflist)
                .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_COLUMN_DEF }
                .map { node -> (name: String, type: DataType) in
                    let definition = node.pointee.column_def.pointee
                    return (text(definition.colname), ProtobufExpressions.dataType(definition.type_name))
                }
            return .createCompositeType(CreateCompositeType(name: objectName(statement.typevar), attributes: attributes))
        case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
            let statement = value.alter_enum_stmt.pointee
            let name = objectName(strings(statement.n_type_name, statement.type_name))
            if let old = optionalText(statement.old_val) {
                return .alterEnum(AlterEnum(name: name, addedValue: nil, neighbor: nil, addedAfterNeighbor: false,
                                            renamedValue: (old, text(statement.new_val))))
            }
            return .alterEnum(AlterEnum(name: name, addedValue: text(statement.new_val), neighbor: optionalText(statement.new_val_neighbor),
                                        addedAfterNeighbor: statement.new_val_is_after != 0, renamedValue: nil))
        case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
            let statement = value.create_domain_stmt.pointee
            return .createDomain(CreateDomain(name: objectName(strings(statement.n_domainname, statement.domainname)),
                                              baseType: ProtobufExpressions.dataType(statement.type_name)))
        case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT: return .createFunction(function(value.create_function_stmt.pointee))
        case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
            let statement = value.create_trig_stmt.pointee
            return .createTrigger(CreateTrigger(name: text(statement.trigname), table: objectName(statement.relation),
                                                function: objectName(strings(statement.n_funcname, statement.funcname)),
                                                orReplace: statement.replace != 0))
        case PG_QUERY__NODE__NODE_COMMENT_STMT: return .comment(comment(value.comment_stmt.pointee))
        case PG_QUERY__NODE__NODE_GRANT_STMT: return .grant(grant(value.grant_stmt.pointee))
        case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
            let statement = value.create_schema_stmt.pointee
            let authorization = statement.authrole.flatMap { optionalText($0.pointee.rolename) }
            return .createSchema(CreateSchema(name: optionalText(statement.schemaname) ?? authorization ?? "",
                                              ifNotExists: statement.if_not_exists != 0, authorization: authorization,
                                              elements: nodes(statement.n_schema_elts, statement.schema_elts).map(self.statement)))
        case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
            let statement = value.variable_set_stmt.pointee
            guard text(statement.name) == "search_path" || statement.kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL else {
                return .setVariable(setVariable(statement))
            }
            switch statement.kind {
            case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
                let schemas = nodes(statement.n_args, statement.args).map { argument -> String in
                    let rendered = ProtobufExpressions.render(argument)
                    // `SET search_path = 'a', b`: string constants arrive quoted.
                    return rendered.hasPrefix("'") ? String(rendered.dropFirst().dropLast()) : rendered
                }
                return .setSearchPath(SetSearchPath(schemas: schemas, isLocal: statement.is_local != 0))
            default:
                return .setSearchPath(SetSearchPath(schemas: nil, isLocal: statement.is_local != 0))
            }
        case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
            let statement = value.alter_object_schema_stmt.pointee
            let name = statement.relation != nil ? objectName(statement.relation) : objectNameOfObject(statement.object)
            return .alterObjectSchema(AlterObjectSchema(kind: relationKind(statement.object_type), name: name,
                                                        newSchema: text(statement.newschema)))
        case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
            let statement = value.create_seq_stmt.pointee
            return .createSequence(CreateSequence(name: objectName(statement.sequence), ifNotExists: statement.if_not_exists != 0,
                                                  ownedBy: sequenceOwner(statement.n_options, statement.options)))
        case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
            let statement = value.alter_seq_stmt.pointee
            return .alterSequence(AlterSequence(name: objectName(statement.sequence), ifExists: statement.missing_ok != 0,
                                                ownedBy: sequenceOwner(statement.n_options, statement.options)))
        case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
            return .createExtension(name: text(value.create_extension_stmt.pointee.extname))
        case PG_QUERY__NODE__NODE_DO_STMT:
            var block = DoBlock(body: "", language: "plpgsql", bodyOffset: nil)
            let statement = value.do_stmt.pointee
            for argument in nodes(statement.n_args, statement.args) where argument.pointee.node_case == PG_QUERY__NODE__NODE_DEF_ELEM {
                let element = argument.pointee.def_elem.pointee
                guard let value = element.arg.flatMap(stringValue) else { continue }
                if text(element.defname) == "as" {
                    block.body = value
                    // The grammar gives the `as` item the location of its string constant.
                    block.bodyOffset = element.location >= 0 ? at(element.location) : nil
                } else if text(element.defname) == "language" {
                    block.language = value
                }
            }
            return .doBlock(block)
        case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
            return .transaction(transactionKind(value.transaction_stmt.pointee.kind))
        case PG_QUERY__NODE__NODE_REINDEX_STMT: return .tableOperation(reindex(value.reindex_stmt.pointee))
        case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
            let statement = value.refresh_mat_view_stmt.pointee
            return .tableOperation(TableOperation(kind: .refreshMaterializedView(withNoData: statement.skip_data != 0),
                                                  relations: [objectName(statement.relation)], name: nil,
                                                  concurrently: statement.concurrent != 0, offset: at(statement.relation?.pointee.location)))
        case PG_QUERY__NODE__NODE_VACUUM_STMT: return .tableOperation(vacuum(value.vacuum_stmt.pointee))
        case PG_QUERY__NODE__NODE_CLUSTER_STMT:
            let statement = value.cluster_stmt.pointee
            return .tableOperation(TableOperation(kind: .cluster, relations: statement.relation.map { [objectName($0)] } ?? [],
                                                  name: nil, concurrently: false, offset: at(statement.relation?.pointee.location)))
        case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
            let statement = value.truncate_stmt.pointee
            let relations = rangeVars(statement.n_relations, statement.relations)
            return .tableOperation(TableOperation(kind: .truncate(cascade: statement.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE),
                                                  relations: relations.map(objectName), relationOffsets: relations.map { at($0.pointee.location) },
                                                  name: nil, concurrently: false, offset: at(relations.first?.pointee.location)))
        case PG_QUERY__NODE__NODE_LOCK_STMT:
            let statement = value.lock_stmt.pointee
            let relations = rangeVars(statement.n_relations, statement.relations)
            return .tableOperation(TableOperation(kind: .lock(mode: Int(statement.mode)), relations: relations.map(objectName),
                                                  relationOffsets: relations.map { at($0.pointee.location) },
                                                  name: nil, concurrently: false, offset: at(relations.first?.pointee.location)))
        case PG_QUERY__NODE__NODE_INSERT_STMT: return dataChange(node, value.insert_stmt.pointee.relation)
        case PG_QUERY__NODE__NODE_UPDATE_STMT: return dataChange(node, value.update_stmt.pointee.relation)
        case PG_QUERY__NODE__NODE_DELETE_STMT: return dataChange(node, value.delete_stmt.pointee.relation)
        case PG_QUERY__NODE__NODE_MERGE_STMT: return dataChange(node, value.merge_stmt.pointee.relation)
        default:
            return .other(kind: nodeKindName(node))
        }
    }

    func dataChange(_ node: NodePointer, _ relation: UnsafeMutablePointer<PgQuery__RangeVar>?) -> Statement {
        guard let relation else { return .other(kind: nodeKindName(node)) }
        return .dataChange(DataChange(kind: nodeKindName(node), target: objectName(relation), targetOffset: at(relation.pointee.location)))
    }

    /// The `owned_by` option of CREATE/ALTER SEQUENCE: the name parts, `[]` for NONE.
    func sequenceOwner(_ count: Int, _ options: NodeList?) -> [String]? {
        for option in nodes(count, options) where option.pointee.node_case == PG_QUERY__NODE__NODE_DEF_ELEM {
            let element = option.pointee.def_elem.pointee
            guard text(element.defname) == "owned_by", let argument = element.arg,
                  argument.pointee.node_case == PG_QUERY__NODE__NODE_LIST else { continue }
            let parts = strings(argument.pointee.list.pointee.n_items, argument.pointee.list.pointee.items)
            return parts.count == 1 && parts[0] == "none" ? [] : parts
        }
        return nil
    }

    // MARK: Indexes, drops, renames

    func createIndex(_ statement: PgQuery__IndexStmt) -> CreateIndex {
        var expressionColumns: [String] = []
        func noteColumns(of expression: NodePointer) {
            for column in columnReferences(expression) where !expressionColumns.contains(column) { expressionColumns.append(column) }
        }
        statement.where_clause.map(noteColumns)
        let columns = nodes(statement.n_index_params, statement.index_params)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_INDEX_ELEM }
            .map { node -> IndexColumn in
                let element = node.pointee.index_elem.pointee
                if let column = optionalText(element.name) {
                    return IndexColumn(column: column, expression: nil, nameForGeneratedName: column)
                }
                element.expr.map(noteColumns)
                let expression = element.expr.map(ProtobufExpressions.renderTracked) ?? RenderedExpression(text: "")
                return IndexColumn(column: nil, expression: expression,
                                   nameForGeneratedName: element.expr.map(figureColumnName) ?? "expr")
            }
        return CreateIndex(
            name: optionalText(statement.idxname),
            table: objectName(statement.relation),
            unique: statement.unique != 0,
            concurrently: statement.concurrent != 0,
            ifNotExists: statement.if_not_exists != 0,
            method: optionalText(statement.access_method) ?? "btree",
            columns: columns,
            predicate: statement.where_clause.map(ProtobufExpressions.renderTracked),
            expressionColumns: expressionColumns,
            offset: at(statement.relation?.pointee.location))
    }

    /// Postgres's `FigureIndexColname`: a function call names the column after the
    /// function, a cast after its operand, anything else is `expr`.
    func figureColumnName(_ node: NodePointer) -> String {
        switch node.pointee.node_case {
        case PG_QUERY__NODE__NODE_FUNC_CALL:
            let call = node.pointee.func_call.pointee
            return strings(call.n_funcname, call.funcname).last ?? "expr"
        case PG_QUERY__NODE__NODE_TYPE_CAST:
            return node.pointee.type_cast.pointee.arg.map(figureColumnName) ?? "expr"
        case PG_QUERY__NODE__NODE_COLUMN_REF:
            let reference = node.pointee.column_ref.pointee
            return nodes(reference.n_fields, reference.fields).last.flatMap(stringValue) ?? "expr"
        default:
            return "expr"
        }
    }

    func drop(_ statement: PgQuery__DropStmt) -> Drop {
        let objects = nodes(statement.n_objects, statement.objects)
        var target: DropTarget
        var names: [ObjectName]
        switch statement.remove_type {
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: target = .table
        case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: target = .view
        case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: target = .materializedView
        case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: target = .index
        case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE: target = .type
        case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: target = .domain
        case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: target = .sequence
        case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: target = .schema
        case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION: target = .function
        case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE, PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: target = .procedure
        case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION: target = .`extension`
        case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: target = .trigger(table: ObjectName(name: ""))
        default: target = .other(objectTypeName(statement.remove_type))
        }
        names = objects.map(objectNameOfObject)
        if case .trigger = target, let first = objects.first, first.pointee.node_case == PG_QUERY__NODE__NODE_LIST {
            // DROP TRIGGER name ON table arrives as one list [schema?, table, trigger].
            let parts = strings(first.pointee.list.pointee.n_items, first.pointee.list.pointee.items)
            target = .trigger(table: objectName(Array(parts.dropLast())))
            names = [ObjectName(name: parts.last ?? "")]
        }
        return Drop(target: target, names: names, ifExists: statement.missing_ok != 0,
                    cascade: statement.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE, concurrently: statement.concurrent != 0)
    }

    /// Object names in DROP/COMMENT/RENAME arrive as a String list, a TypeName, an
    /// ObjectWithArgs (functions) or a bare String (schemas, extensions).
    func objectNameOfObject(_ node: NodePointer?) -> ObjectName {
        guard let node else { return ObjectName(name: "") }
        let value = node.pointee
        switch value.node_case {
        case PG_QUERY__NODE__NODE_LIST: return objectName(strings(value.list.pointee.n_items, value.list.pointee.items))
        case PG_QUERY__NODE__NODE_STRING: return ObjectName(name: stringValue(node) ?? "")
        case PG_QUERY__NODE__NODE_TYPE_NAME:
            return objectName(strings(value.type_name.pointee.n_names, value.type_name.pointee.names))
        case PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS:
            return objectName(strings(value.object_with_args.pointee.n_objname, value.object_with_args.pointee.objname))
        case PG_QUERY__NODE__NODE_RANGE_VAR: return objectName(value.range_var)
        default: return ObjectName(name: "")
        }
    }

    func rename(_ statement: PgQuery__RenameStmt) -> Rename {
        let relation = objectName(statement.relation)
        let newName = text(statement.newname)
        let ifExists = statement.missing_ok != 0
        func renamed(_ target: Rename.Target, _ object: ObjectName, _ old: String) -> Rename {
            Rename(target: target, object: object, oldName: old, newName: newName, ifExists: ifExists)
        }
        switch statement.rename_type {
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE, PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE: return renamed(.table, relation, relation.name)
        case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: return renamed(.view, relation, relation.name)
        case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: return renamed(.materializedView, relation, relation.name)
        case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: return renamed(.index, relation, relation.name)
        case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: return renamed(.sequence, relation, relation.name)
        case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: return renamed(.column(relation: relation), relation, text(statement.subname))
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: return renamed(.constraint(relation: relation), relation, text(statement.subname))
        case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: return renamed(.trigger(relation: relation), relation, text(statement.subname))
        case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE, PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
            let name = objectNameOfObject(statement.object)
            return renamed(.type, name, name.name)
        case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
            let old = text(statement.subname)
            return renamed(.schema, ObjectName(name: old), old)
        case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION, PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
            let name = objectNameOfObject(statement.object)
            return renamed(.function, name, name.name)
        default:
            let name = statement.relation != nil ? relation : objectNameOfObject(statement.object)
            return renamed(.other(objectTypeName(statement.rename_type)), name, text(statement.subname))
        }
    }

    // MARK: Views, functions, comments, grants

    func view(_ statement: PgQuery__ViewStmt) -> CreateView {
        CreateView(name: objectName(statement.view), materialized: false, orReplace: statement.replace != 0,
                   ifNotExists: false, reads: relationsRead(by: statement.query),
                   offset: at(statement.view?.pointee.location))
    }

    func materializedView(_ statement: PgQuery__CreateTableAsStmt) -> CreateView {
        let relation = statement.into?.pointee.rel
        return CreateView(name: objectName(relation), materialized: true, orReplace: false,
                          ifNotExists: statement.if_not_exists != 0, reads: relationsRead(by: statement.query),
                                 offset: at(relation?.pointee.location))
    }

    func relationsRead(by query: NodePointer?) -> [ObjectName] {
        guard let query else { return [] }
        var collector = ProtobufReferenceCollector()
        query.withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) { collector.collect($0) }
        var seen = Set<ObjectName>()
        return collector.relations.filter { name in
            !(name.schema == nil && collector.cteNames.contains(name.name)) && seen.insert(name).inserted
        }
    }

    func function(_ statement: PgQuery__CreateFunctionStmt) -> CreateFunction {
        var language: String?
        for option in nodes(statement.n_options, statement.options) where option.pointee.node_case == PG_QUERY__NODE__NODE_DEF_ELEM {
            let element = option.pointee.def_elem.pointee
            if text(element.defname) == "language", let argument = element.arg { language = stringValue(argument) }
        }
        let argumentTypes = nodes(statement.n_parameters, statement.parameters)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_FUNCTION_PARAMETER }
            .compactMap { parameter -> String? in
                let value = parameter.pointee.function_parameter.pointee
                // OUT and TABLE parameters are not part of the signature.
                if value.mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT
                    || value.mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE { return nil }
                return ProtobufExpressions.dataType(value.arg_type).unmodified
            }
        var volatility = Volatility.volatile
        for option in nodes(statement.n_options, statement.options) where option.pointee.node_case == PG_QUERY__NODE__NODE_DEF_ELEM {
            let element = option.pointee.def_elem.pointee
            if text(element.defname) == "volatility", let value = element.arg.flatMap(stringValue), let parsed = Volatility(rawValue: value) {
                volatility = parsed
            }
        }
        let outputs = nodes(statement.n_parameters, statement.parameters)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_FUNCTION_PARAMETER }
            .map { $0.pointee.function_parameter.pointee }
            .filter { $0.mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT || $0.mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT
                || $0.mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE }
            .map { (name: text($0.name), type: ProtobufExpressions.dataType($0.arg_type).unmodified,
                    table: $0.mode == PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE) }
        let returnType = CreateFunction.resultType(
            declared: statement.return_type.map { (type: ProtobufExpressions.dataType($0).unmodified, setOf: $0.pointee.setof != 0) },
            outputs: outputs, isProcedure: statement.is_procedure != 0)
        return CreateFunction(name: objectName(strings(statement.n_funcname, statement.funcname)),
                              argumentTypes: argumentTypes,
                              returnType: returnType,
                              language: language, orReplace: statement.replace != 0,
                              isProcedure: statement.is_procedure != 0, volatility: volatility)
    }

    func comment(_ statement: PgQuery__CommentStmt) -> Comment {
        let text = optionalText(statement.comment)
        let name = objectNameOfObject(statement.object)
        switch statement.objtype {
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: return Comment(target: .table(name), text: text)
        case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: return Comment(target: .view(name), text: text)
        case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: return Comment(target: .materializedView(name), text: text)
        case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
            guard let object = statement.object, object.pointee.node_case == PG_QUERY__NODE__NODE_LIST else {
                return Comment(target: .other("column"), text: text)
            }
            let parts = strings(object.pointee.list.pointee.n_items, object.pointee.list.pointee.items)
            return Comment(target: .column(table: objectName(Array(parts.dropLast())), column: parts.last ?? ""), text: text)
        default:
            return Comment(target: .other(objectTypeName(statement.objtype)), text: text)
        }
    }

    func grant(_ statement: PgQuery__GrantStmt) -> Grant {
        let accessPrivileges = nodes(statement.n_privileges, statement.privileges)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_ACCESS_PRIV }
        let privileges = accessPrivileges.map { text($0.pointee.access_priv.pointee.priv_name) }
        let columnLevel = accessPrivileges.contains { $0.pointee.access_priv.pointee.n_cols > 0 }
        let grantees = nodes(statement.n_grantees, statement.grantees)
            .filter { $0.pointee.node_case == PG_QUERY__NODE__NODE_ROLE_SPEC }
            .map { role -> String in
                let spec = role.pointee.role_spec.pointee
                switch spec.roletype {
                case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC: return "PUBLIC"
                case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CURRENT_USER: return "CURRENT_USER"
                case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_SESSION_USER: return "SESSION_USER"
                default: return text(spec.rolename)
                }
            }
        return Grant(isGrant: statement.is_grant != 0,
                     privileges: privileges.isEmpty ? ["ALL"] : privileges,
                     objectKind: objectTypeName(statement.objtype),
                     objects: nodes(statement.n_objects, statement.objects).map(objectNameOfObject),
                     allInSchema: statement.targtype == PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_ALL_IN_SCHEMA,
                     grantees: grantees, columnLevel: columnLevel,
                     grantOptionOnly: statement.is_grant == 0 && statement.grant_option != 0)
    }

    // MARK: Enumerations

    func relationKind(_ type: PgQuery__ObjectType) -> RelationKind {
        switch type {
        case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: .view
        case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: .materializedView
        case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: .index
        case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: .sequence
        case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE: .foreignTable
        case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE, PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: .type
        default: .table
        }
    }

    func objectTypeName(_ type: PgQuery__ObjectType) -> String {
        withUnsafePointer(to: pg_query__object_type__descriptor) { descriptor in
            guard let value = protobuf_c_enum_descriptor_get_value(descriptor, Int32(bitPattern: type.rawValue)),
                  let name = value.pointee.name else { return "object" }
            let constant = String(cString: name)
            return (constant.hasPrefix("OBJECT_") ? String(constant.dropFirst("OBJECT_".count)) : constant).lowercased()
        }
    }

    func transactionKind(_ kind: PgQuery__TransactionStmtKind) -> TransactionKind {
        switch kind {
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN, PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START: .begin
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT: .commit
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK: .rollback
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT: .savepoint
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE: .release
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO: .rollbackTo
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE: .prepare
        default: .other
        }
    }
}
