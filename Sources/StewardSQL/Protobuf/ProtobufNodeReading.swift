import CPgQuery

typealias NodePointer = UnsafeMutablePointer<PgQuery__Node>
typealias NodeList = UnsafeMutablePointer<UnsafeMutablePointer<PgQuery__Node>?>

/// Small readers over protobuf-c structs. protobuf-c stores unset strings as "" and
/// unset messages as NULL, so every reader treats both as absent.
@inline(__always)
func nodes(_ count: Int, _ list: NodeList?) -> [NodePointer] {
    guard count > 0, let list else { return [] }
    var result: [NodePointer] = []
    result.reserveCapacity(count)
    for index in 0..<count { if let node = list[index] { result.append(node) } }
    return result
}

/// The value of a `String` node (identifiers and names in lists).
func stringValue(_ node: NodePointer) -> String? {
    guard node.pointee.node_case == PG_QUERY__NODE__NODE_STRING, let string = node.pointee.string else { return nil }
    return text(string.pointee.sval)
}

func strings(_ count: Int, _ list: NodeList?) -> [String] {
    nodes(count, list).compactMap(stringValue)
}

func objectName(_ rangeVar: UnsafeMutablePointer<PgQuery__RangeVar>?) -> ObjectName {
    guard let rangeVar else { return ObjectName(name: "") }
    return ObjectName(schema: optionalText(rangeVar.pointee.schemaname), name: text(rangeVar.pointee.relname))
}

/// The parse-node name of a node case, e.g. `InsertStmt`, read from protobuf-c's
/// descriptor so that it follows libpg_query's own naming.
func nodeKindName(_ node: NodePointer) -> String {
    let number = Int(node.pointee.node_case.rawValue)
    return number < nodeKindNames.count ? nodeKindNames[number] : "Node\(number)"
}

/// `CreateStmt` for the `create_stmt` field of `Node`, by field number (computed once: every
/// statement Steward does not model is labelled with its kind).
private let nodeKindNames: [String] = {
    let descriptor = steward_node_descriptor()!
    var names: [String] = []
    for index in 0..<Int(descriptor.pointee.n_fields) {
        let field = descriptor.pointee.fields[index]
        guard let name = field.name else { continue }
        let number = Int(field.id)
        if names.count <= number { names += (names.count...number).map { "Node\($0)" } }
        names[number] = String(cString: name).split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
    return names
}()

/// Every `RangeVar` below a message, found through protobuf-c's reflection so that no
/// node type is missed (joins, subqueries, set operations, CTEs). CTE names are returned
/// separately so that callers can tell them from real relations.
struct ProtobufReferenceCollector {
    var relations: [ObjectName] = []
    var cteNames: Set<String> = []
    /// Functions called anywhere below (`FuncCall` nodes), as written.
    var functionCalls: [ObjectName] = []

    mutating func collect(_ message: UnsafePointer<ProtobufCMessage>, depth: Int = 0) {
        // Parse trees are already depth-limited by Postgres; this only guards hostile input.
        guard depth < 2000 else { return }
        let descriptor = message.pointee.descriptor!
        if descriptor == rangeVarDescriptor {
            relations.append(message.withMemoryRebound(to: PgQuery__RangeVar.self, capacity: 1) {
                ObjectName(schema: optionalText($0.pointee.schemaname), name: text($0.pointee.relname))
            })
            return
        }
        if descriptor == funcCallDescriptor {
            message.withMemoryRebound(to: PgQuery__FuncCall.self, capacity: 1) {
                functionCalls.append(objectName(strings($0.pointee.n_funcname, $0.pointee.funcname)))
            }
        }
        if descriptor == commonTableExprDescriptor {
            _ = message.withMemoryRebound(to: PgQuery__CommonTableExpr.self, capacity: 1) {
                cteNames.insert(text($0.pointee.ctename))
            }
        }
        let raw = UnsafeRawPointer(message)
        for index in 0..<Int(descriptor.pointee.n_fields) {
            let field = descriptor.pointee.fields[index]
            guard field.type == PROTOBUF_C_TYPE_MESSAGE else { continue }
            if field.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0 {
                // Oneof members share one union: only the member named by the case field is valid.
                let selected = raw.load(fromByteOffset: Int(field.quantifier_offset), as: UInt32.self)
                guard selected == field.id else { continue }
            }
            if field.label == PROTOBUF_C_LABEL_REPEATED {
                let count = raw.load(fromByteOffset: Int(field.quantifier_offset), as: Int.self)
                guard count > 0, let items = raw.load(fromByteOffset: Int(field.offset), as: UnsafePointer<UnsafePointer<ProtobufCMessage>?>?.self) else { continue }
                for item in 0..<count { if let child = items[item] { collect(child, depth: depth + 1) } }
            } else if let child = raw.load(fromByteOffset: Int(field.offset), as: UnsafePointer<ProtobufCMessage>?.self) {
                collect(child, depth: depth + 1)
            }
        }
    }
}

// Addresses of protobuf-c's static, never-written descriptors: only compared, never
// dereferenced for writing, so sharing them across threads is safe.
nonisolated(unsafe) private let rangeVarDescriptor = steward_range_var_descriptor()
nonisolated(unsafe) private let commonTableExprDescriptor = steward_common_table_expr_descriptor()
nonisolated(unsafe) private let funcCallDescriptor = steward_func_call_descriptor()

/// Functions an expression calls, e.g. `[gen_random_uuid]` for `DEFAULT gen_random_uuid()`.
func protobufFunctionCalls(in node: NodePointer) -> [ObjectName] {
    var collector = ProtobufReferenceCollector()
    node.withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) { collector.collect($0) }
    return collector.functionCalls
}
