import Foundation
internal import CPgQueryRaw

/// Turns PostgreSQL's raw parse tree into `Statement` values. Only what the schema model and
/// the rules need is read; every other statement becomes `.other(kind:)`.
struct NodeConverter {
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

    func statement(_ node: RawNode) -> Statement {
        switch node.tag {
        case T_CreateStmt: return .createTable(createTable(node.as(CreateStmt.self).pointee))
        case T_AlterTableStmt: return .alterTable(alterTable(node.as(AlterTableStmt.self).pointee))
        case T_IndexStmt: return .createIndex(createIndex(node.as(IndexStmt.self).pointee))
        case T_DropStmt: return .drop(drop(node.as(DropStmt.self).pointee))
        case T_RenameStmt: return .rename(rename(node.as(RenameStmt.self).pointee))
        case T_ViewStmt: return .createView(view(node.as(ViewStmt.self).pointee))
        case T_CreateTableAsStmt:
            let statement = node.as(CreateTableAsStmt.self).pointee
            if statement.objtype == OBJECT_MATVIEW { return .createView(materializedView(statement)) }
            let relation = statement.into?.pointee.rel
            return .createTableAs(name: objectName(relation), temporary: relation.map { $0.pointee.relpersistence == temporaryPersistence } ?? false)
        case T_SelectStmt:
            if let into = node.as(SelectStmt.self).pointee.intoClause?.pointee.rel {
                return .createTableAs(name: objectName(into), temporary: into.pointee.relpersistence == temporaryPersistence)
            }
            return .invocation(kind: "SelectStmt", functions: functionCalls(in: node))
        case T_CallStmt:
            let call = node.as(CallStmt.self).pointee.funccall
            return .invocation(kind: "CallStmt", functions: call.map { functionCalls(in: rawNode($0)) } ?? [])
        case T_CreateEnumStmt:
            let statement = node.as(CreateEnumStmt.self).pointee
            return .createEnum(CreateEnum(name: objectName(strings(statement.typeName)), values: strings(statement.vals)))
        case T_CompositeTypeStmt:
            let statement = node.as(CompositeTypeStmt.self).pointee
            let attributes = nodes(statement.coldeflist)
                .filter { $0.tag == T_ColumnDef }
                .map { node -> (name: String, type: DataType) in
                    let definition = node.as(ColumnDef.self).pointee
                    return (text(definition.colname), TypeFormatting.dataType(definition.typeName))
                }
            return .createCompositeType(CreateCompositeType(name: objectName(statement.typevar), attributes: attributes))
        case T_AlterEnumStmt:
            let statement = node.as(AlterEnumStmt.self).pointee
            let name = objectName(strings(statement.typeName))
            if let old = optionalText(statement.oldVal) {
                return .alterEnum(AlterEnum(name: name, addedValue: nil, neighbor: nil, addedAfterNeighbor: false,
                                            renamedValue: (old, text(statement.newVal))))
            }
            return .alterEnum(AlterEnum(name: name, addedValue: text(statement.newVal), neighbor: optionalText(statement.newValNeighbor),
                                        addedAfterNeighbor: statement.newValIsAfter, renamedValue: nil))
        case T_CreateDomainStmt:
            let statement = node.as(CreateDomainStmt.self).pointee
            return .createDomain(CreateDomain(name: objectName(strings(statement.domainname)),
                                              baseType: TypeFormatting.dataType(statement.typeName)))
        case T_CreateFunctionStmt: return .createFunction(function(node.as(CreateFunctionStmt.self).pointee))
        case T_CreateTrigStmt:
            let statement = node.as(CreateTrigStmt.self).pointee
            return .createTrigger(CreateTrigger(name: text(statement.trigname), table: objectName(statement.relation),
                                                function: objectName(strings(statement.funcname)), orReplace: statement.replace))
        case T_CommentStmt: return .comment(comment(node.as(CommentStmt.self).pointee))
        case T_GrantStmt: return .grant(grant(node.as(GrantStmt.self).pointee))
        case T_CreateSchemaStmt:
            let statement = node.as(CreateSchemaStmt.self).pointee
            let authorization = statement.authrole.flatMap { optionalText($0.pointee.rolename) }
            return .createSchema(CreateSchema(name: optionalText(statement.schemaname) ?? authorization ?? "",
                                              ifNotExists: statement.if_not_exists, authorization: authorization,
                                              elements: nodes(statement.schemaElts).map(self.statement)))
        case T_VariableSetStmt:
            let statement = node.as(VariableSetStmt.self).pointee
            guard text(statement.name) == "search_path" || statement.kind == VAR_RESET_ALL else {
                return .setVariable(setVariable(statement))
            }
            guard statement.kind == VAR_SET_VALUE else { return .setSearchPath(SetSearchPath(schemas: nil, isLocal: statement.is_local)) }
            let schemas = nodes(statement.args).map { argument -> String in
                let rendered = Expressions.render(argument)
                // `SET search_path = 'a', b`: string constants arrive quoted.
                return rendered.hasPrefix("'") ? String(rendered.dropFirst().dropLast()) : rendered
            }
            return .setSearchPath(SetSearchPath(schemas: schemas, isLocal: statement.is_local))
        case T_AlterObjectSchemaStmt:
            let statement = node.as(AlterObjectSchemaStmt.self).pointee
            let name = statement.relation != nil ? objectName(statement.relation) : objectNameOfObject(statement.object)
            return .alterObjectSchema(AlterObjectSchema(kind: relationKind(statement.objectType), name: name,
                                                        newSchema: text(statement.newschema)))
        case T_CreateSeqStmt:
            let statement = node.as(CreateSeqStmt.self).pointee
            return .createSequence(CreateSequence(name: objectName(statement.sequence), ifNotExists: statement.if_not_exists,
                                                  ownedBy: sequenceOwner(statement.options)))
        case T_AlterSeqStmt:
            let statement = node.as(AlterSeqStmt.self).pointee
            return .alterSequence(AlterSequence(name: objectName(statement.sequence), ifExists: statement.missing_ok,
                                                ownedBy: sequenceOwner(statement.options)))
        case T_CreateExtensionStmt:
            return .createExtension(name: text(node.as(CreateExtensionStmt.self).pointee.extname))
        case T_DoStmt:
            var block = DoBlock(body: "", language: "plpgsql", bodyOffset: nil)
            for argument in nodes(node.as(DoStmt.self).pointee.args) where argument.tag == T_DefElem {
                let element = argument.as(DefElem.self).pointee
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
        case T_TransactionStmt:
            return .transaction(transactionKind(node.as(TransactionStmt.self).pointee.kind))
        case T_ReindexStmt: return .tableOperation(reindex(node.as(ReindexStmt.self).pointee))
        case T_RefreshMatViewStmt:
            let statement = node.as(RefreshMatViewStmt.self).pointee
            return .tableOperation(TableOperation(kind: .refreshMaterializedView(withNoData: statement.skipData),
                                                  relations: [objectName(statement.relation)], name: nil,
                                                  concurrently: statement.concurrent, offset: at(statement.relation?.pointee.location)))
        case T_VacuumStmt: return .tableOperation(vacuum(node.as(VacuumStmt.self).pointee))
        case T_ClusterStmt:
            let statement = node.as(ClusterStmt.self).pointee
            return .tableOperation(TableOperation(kind: .cluster, relations: statement.relation.map { [objectName($0)] } ?? [],
                                                  name: nil, concurrently: false, offset: at(statement.relation?.pointee.location)))
        case T_TruncateStmt:
            let statement = node.as(TruncateStmt.self).pointee
            let relations = rangeVars(statement.relations)
            return .tableOperation(TableOperation(kind: .truncate(cascade: statement.behavior == DROP_CASCADE),
                                                  relations: relations.map(objectName), relationOffsets: relations.map { at($0.pointee.location) },
                                                  name: nil, concurrently: false, offset: at(relations.first?.pointee.location)))
        case T_LockStmt:
            let statement = node.as(LockStmt.self).pointee
            let relations = rangeVars(statement.relations)
            return .tableOperation(TableOperation(kind: .lock(mode: Int(statement.mode)), relations: relations.map(objectName),
                                                  relationOffsets: relations.map { at($0.pointee.location) },
                                                  name: nil, concurrently: false, offset: at(relations.first?.pointee.location)))
        case T_InsertStmt: return dataChange(node, node.as(InsertStmt.self).pointee.relation)
        case T_UpdateStmt: return dataChange(node, node.as(UpdateStmt.self).pointee.relation)
        case T_DeleteStmt: return dataChange(node, node.as(DeleteStmt.self).pointee.relation)
        case T_MergeStmt: return dataChange(node, node.as(MergeStmt.self).pointee.relation)
        default:
            return .other(kind: nodeKindName(node))
        }
    }

    func dataChange(_ node: RawNode, _ relation: UnsafeMutablePointer<RangeVar>?) -> Statement {
        guard let relation else { return .other(kind: nodeKindName(node)) }
        return .dataChange(DataChange(kind: nodeKindName(node), target: objectName(relation), targetOffset: at(relation.pointee.location)))
    }

    /// The `owned_by` option of CREATE/ALTER SEQUENCE: the name parts, `[]` for NONE.
    func sequenceOwner(_ options: RawList?) -> [String]? {
        for option in nodes(options) where option.tag == T_DefElem {
            let element = option.as(DefElem.self).pointee
            guard text(element.defname) == "owned_by", let argument = element.arg, argument.tag == T_List else { continue }
            let parts = strings(argument.as(List.self))
            return parts.count == 1 && parts[0] == "none" ? [] : parts
        }
        return nil
    }

    // MARK: Indexes, drops, renames

    func createIndex(_ statement: IndexStmt) -> CreateIndex {
        var expressionColumns: [String] = []
        func noteColumns(of expression: RawNode) {
            for column in columnReferences(expression) where !expressionColumns.contains(column) { expressionColumns.append(column) }
        }
        statement.whereClause.map(noteColumns)
        let columns = nodes(statement.indexParams)
            .filter { $0.tag == T_IndexElem }
            .map { node -> IndexColumn in
                let element = node.as(IndexElem.self).pointee
                if let column = optionalText(element.name) {
                    return IndexColumn(column: column, expression: nil, nameForGeneratedName: column)
                }
                element.expr.map(noteColumns)
                let expression = element.expr.map(Expressions.renderTracked) ?? RenderedExpression(text: "")
                return IndexColumn(column: nil, expression: expression,
                                   nameForGeneratedName: element.expr.map(figureColumnName) ?? "expr")
            }
        return CreateIndex(
            name: optionalText(statement.idxname),
            table: objectName(statement.relation),
            unique: statement.unique,
            concurrently: statement.concurrent,
            ifNotExists: statement.if_not_exists,
            method: optionalText(statement.accessMethod) ?? "btree",
            columns: columns,
            predicate: statement.whereClause.map(Expressions.renderTracked),
            expressionColumns: expressionColumns,
            offset: at(statement.relation?.pointee.location))
    }

    /// Postgres's `FigureIndexColname`: a function call names the column after the
    /// function, a cast after its operand, anything else is `expr`.
    func figureColumnName(_ node: RawNode) -> String {
        switch node.tag {
        case T_FuncCall: strings(node.as(FuncCall.self).pointee.funcname).last ?? "expr"
        case T_TypeCast: node.as(TypeCast.self).pointee.arg.map(figureColumnName) ?? "expr"
        case T_ColumnRef: nodes(node.as(ColumnRef.self).pointee.fields).last.flatMap(stringValue) ?? "expr"
        default: "expr"
        }
    }

    func drop(_ statement: DropStmt) -> Drop {
        let objects = nodes(statement.objects)
        var target: DropTarget
        var names: [ObjectName]
        switch statement.removeType {
        case OBJECT_TABLE: target = .table
        case OBJECT_VIEW: target = .view
        case OBJECT_MATVIEW: target = .materializedView
        case OBJECT_INDEX: target = .index
        case OBJECT_TYPE: target = .type
        case OBJECT_DOMAIN: target = .domain
        case OBJECT_SEQUENCE: target = .sequence
        case OBJECT_SCHEMA: target = .schema
        case OBJECT_FUNCTION: target = .function
        case OBJECT_PROCEDURE, OBJECT_ROUTINE: target = .procedure
        case OBJECT_EXTENSION: target = .`extension`
        case OBJECT_TRIGGER: target = .trigger(table: ObjectName(name: ""))
        default: target = .other(objectTypeName(statement.removeType))
        }
        names = objects.map(objectNameOfObject)
        if case .trigger = target, let first = objects.first, first.tag == T_List {
            // DROP TRIGGER name ON table arrives as one list [schema?, table, trigger].
            let parts = strings(first.as(List.self))
            target = .trigger(table: objectName(Array(parts.dropLast())))
            names = [ObjectName(name: parts.last ?? "")]
        }
        return Drop(target: target, names: names, ifExists: statement.missing_ok,
                    cascade: statement.behavior == DROP_CASCADE, concurrently: statement.concurrent)
    }

    /// Object names in DROP/COMMENT/RENAME arrive as a String list, a TypeName, an
    /// ObjectWithArgs (functions) or a bare String (schemas, extensions).
    func objectNameOfObject(_ node: RawNode?) -> ObjectName {
        guard let node else { return ObjectName(name: "") }
        switch node.tag {
        case T_List: return objectName(strings(node.as(List.self)))
        case T_String: return ObjectName(name: stringValue(node) ?? "")
        case T_TypeName: return objectName(strings(node.as(TypeName.self).pointee.names))
        case T_ObjectWithArgs: return objectName(strings(node.as(ObjectWithArgs.self).pointee.objname))
        case T_RangeVar: return objectName(node.as(RangeVar.self))
        default: return ObjectName(name: "")
        }
    }

    func rename(_ statement: RenameStmt) -> Rename {
        let relation = objectName(statement.relation)
        let newName = text(statement.newname)
        let ifExists = statement.missing_ok
        func renamed(_ target: Rename.Target, _ object: ObjectName, _ old: String) -> Rename {
            Rename(target: target, object: object, oldName: old, newName: newName, ifExists: ifExists)
        }
        switch statement.renameType {
        case OBJECT_TABLE, OBJECT_FOREIGN_TABLE: return renamed(.table, relation, relation.name)
        case OBJECT_VIEW: return renamed(.view, relation, relation.name)
        case OBJECT_MATVIEW: return renamed(.materializedView, relation, relation.name)
        case OBJECT_INDEX: return renamed(.index, relation, relation.name)
        case OBJECT_SEQUENCE: return renamed(.sequence, relation, relation.name)
        case OBJECT_COLUMN: return renamed(.column(relation: relation), relation, text(statement.subname))
        case OBJECT_TABCONSTRAINT: return renamed(.constraint(relation: relation), relation, text(statement.subname))
        case OBJECT_TRIGGER: return renamed(.trigger(relation: relation), relation, text(statement.subname))
        case OBJECT_TYPE, OBJECT_DOMAIN:
            let name = objectNameOfObject(statement.object)
            return renamed(.type, name, name.name)
        case OBJECT_SCHEMA:
            let old = text(statement.subname)
            return renamed(.schema, ObjectName(name: old), old)
        case OBJECT_FUNCTION, OBJECT_PROCEDURE:
            let name = objectNameOfObject(statement.object)
            return renamed(.function, name, name.name)
        default:
            let name = statement.relation != nil ? relation : objectNameOfObject(statement.object)
            return renamed(.other(objectTypeName(statement.renameType)), name, text(statement.subname))
        }
    }

    // MARK: Views, functions, comments, grants

    func view(_ statement: ViewStmt) -> CreateView {
        CreateView(name: objectName(statement.view), materialized: false, orReplace: statement.replace,
                   ifNotExists: false, reads: relationsRead(by: statement.query),
                   offset: at(statement.view?.pointee.location))
    }

    func materializedView(_ statement: CreateTableAsStmt) -> CreateView {
        let relation = statement.into?.pointee.rel
        return CreateView(name: objectName(relation), materialized: true, orReplace: false,
                          ifNotExists: statement.if_not_exists, reads: relationsRead(by: statement.query),
                          offset: at(relation?.pointee.location))
    }

    func relationsRead(by query: RawNode?) -> [ObjectName] {
        guard let query else { return [] }
        var collector = RelationReferenceCollector()
        collector.collect(query)
        var seen = Set<ObjectName>()
        return collector.relations.filter { name in
            !(name.schema == nil && collector.cteNames.contains(name.name)) && seen.insert(name).inserted
        }
    }

    func function(_ statement: CreateFunctionStmt) -> CreateFunction {
        var language: String?
        var volatility = Volatility.volatile
        for option in nodes(statement.options) where option.tag == T_DefElem {
            let element = option.as(DefElem.self).pointee
            switch text(element.defname) {
            case "language": if let argument = element.arg { language = stringValue(argument) }
            case "volatility":
                if let value = element.arg.flatMap(stringValue), let parsed = Volatility(rawValue: value) { volatility = parsed }
            default: break
            }
        }
        let argumentTypes = nodes(statement.parameters)
            .filter { $0.tag == T_FunctionParameter }
            .compactMap { parameter -> String? in
                let value = parameter.as(FunctionParameter.self).pointee
                // OUT and TABLE parameters are not part of the signature; PostgreSQL drops an
                // argument's type modifiers (`bit(8)` is stored as `bit`).
                if value.mode == FUNC_PARAM_OUT || value.mode == FUNC_PARAM_TABLE { return nil }
                return TypeFormatting.dataType(value.argType).unmodified
            }
        let outputs = nodes(statement.parameters)
            .filter { $0.tag == T_FunctionParameter }
            .map { $0.as(FunctionParameter.self).pointee }
            .filter { $0.mode == FUNC_PARAM_OUT || $0.mode == FUNC_PARAM_INOUT || $0.mode == FUNC_PARAM_TABLE }
            .map { (name: text($0.name), type: TypeFormatting.dataType($0.argType).unmodified, table: $0.mode == FUNC_PARAM_TABLE) }
        let returnType = CreateFunction.resultType(
            declared: statement.returnType.map { (type: TypeFormatting.dataType($0).unmodified, setOf: $0.pointee.setof) },
            outputs: outputs, isProcedure: statement.is_procedure)
        return CreateFunction(name: objectName(strings(statement.funcname)),
                              argumentTypes: argumentTypes,
                              returnType: returnType,
                              language: language, orReplace: statement.replace,
                              isProcedure: statement.is_procedure, volatility: volatility)
    }

    func comment(_ statement: CommentStmt) -> Comment {
        let text = optionalText(statement.comment)
        let name = objectNameOfObject(statement.object)
        switch statement.objtype {
        case OBJECT_TABLE: return Comment(target: .table(name), text: text)
        case OBJECT_VIEW: return Comment(target: .view(name), text: text)
        case OBJECT_MATVIEW: return Comment(target: .materializedView(name), text: text)
        case OBJECT_COLUMN:
            guard let object = statement.object, object.tag == T_List else { return Comment(target: .other("column"), text: text) }
            let parts = strings(object.as(List.self))
            return Comment(target: .column(table: objectName(Array(parts.dropLast())), column: parts.last ?? ""), text: text)
        default:
            return Comment(target: .other(objectTypeName(statement.objtype)), text: text)
        }
    }

    func grant(_ statement: GrantStmt) -> Grant {
        let accessPrivileges = nodes(statement.privileges).filter { $0.tag == T_AccessPriv }.map { $0.as(AccessPriv.self).pointee }
        let privileges = accessPrivileges.map { text($0.priv_name) }
        let columnLevel = accessPrivileges.contains { count($0.cols) > 0 }
        let grantees = nodes(statement.grantees)
            .filter { $0.tag == T_RoleSpec }
            .map { role -> String in
                let spec = role.as(RoleSpec.self).pointee
                switch spec.roletype {
                case ROLESPEC_PUBLIC: return "PUBLIC"
                case ROLESPEC_CURRENT_USER: return "CURRENT_USER"
                case ROLESPEC_SESSION_USER: return "SESSION_USER"
                default: return text(spec.rolename)
                }
            }
        return Grant(isGrant: statement.is_grant,
                     privileges: privileges.isEmpty ? ["ALL"] : privileges,
                     objectKind: objectTypeName(statement.objtype),
                     objects: nodes(statement.objects).map(objectNameOfObject),
                     allInSchema: statement.targtype == ACL_TARGET_ALL_IN_SCHEMA,
                     grantees: grantees, columnLevel: columnLevel,
                     grantOptionOnly: !statement.is_grant && statement.grant_option)
    }

    // MARK: Enumerations

    func relationKind(_ type: ObjectType) -> RelationKind {
        switch type {
        case OBJECT_VIEW: .view
        case OBJECT_MATVIEW: .materializedView
        case OBJECT_INDEX: .index
        case OBJECT_SEQUENCE: .sequence
        case OBJECT_FOREIGN_TABLE: .foreignTable
        case OBJECT_TYPE, OBJECT_DOMAIN: .type
        default: .table
        }
    }

    func objectTypeName(_ type: ObjectType) -> String {
        let constant = EnumNames.objectType(type.rawValue)
        return (constant.hasPrefix("OBJECT_") ? String(constant.dropFirst("OBJECT_".count)) : constant).lowercased()
    }

    func transactionKind(_ kind: TransactionStmtKind) -> TransactionKind {
        switch kind {
        case TRANS_STMT_BEGIN, TRANS_STMT_START: .begin
        case TRANS_STMT_COMMIT: .commit
        case TRANS_STMT_ROLLBACK: .rollback
        case TRANS_STMT_SAVEPOINT: .savepoint
        case TRANS_STMT_RELEASE: .release
        case TRANS_STMT_ROLLBACK_TO: .rollbackTo
        case TRANS_STMT_PREPARE: .prepare
        default: .other
        }
    }
}

/// `RELPERSISTENCE_TEMP` of pg_class.h.
let temporaryPersistence = CChar(UInt8(ascii: "t"))

/// A one-letter code (`fk_del_action`, `generated_when`) as text; "" for `\0` (not set).
@inline(__always)
func characterCode(_ code: CChar) -> String {
    code == 0 ? "" : String(UnicodeScalar(UInt8(bitPattern: code)))
}
