internal import CPgQueryRaw

/// A node of PostgreSQL's raw parse tree (`Node *`), valid while its parse job's memory
/// context is (see `SQLParser.parse`).
typealias RawNode = UnsafeMutablePointer<Node>
typealias RawList = UnsafeMutablePointer<List>

/// Small readers over PostgreSQL's node structs. Absent strings are NULL; an empty string
/// is treated as absent too, as PostgreSQL's grammar never produces one for a name.
extension UnsafeMutablePointer where Pointee == Node {
    @inline(__always) var tag: NodeTag { pointee.type }

    /// The node as its concrete struct (`node.as(CreateStmt.self)`); the caller has checked `tag`.
    @inline(__always) func `as`<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer(self).assumingMemoryBound(to: type)
    }
}

/// A C string, with NULL and "" both read as absent ("" for `text`).
@inline(__always)
func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    guard let pointer, pointer.pointee != 0 else { return "" }
    return String(cString: pointer)
}

@inline(__always)
func optionalText(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer, pointer.pointee != 0 else { return nil }
    return String(cString: pointer)
}

/// `[catalog.][schema.]name` from a list of String nodes.
func objectName(_ parts: [String]) -> ObjectName {
    switch parts.count {
    case 0: ObjectName(name: "")
    case 1: ObjectName(name: parts[0])
    default: ObjectName(schema: parts[parts.count - 2], name: parts[parts.count - 1])
    }
}

/// A node pointer from any struct pointer whose first field is its `NodeTag`.
@inline(__always)
func rawNode<T>(_ pointer: UnsafeMutablePointer<T>) -> RawNode {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Node.self)
}

/// The elements of a `List` of nodes (NIL is the empty list).
@inline(__always)
func nodes(_ list: RawList?) -> [RawNode] {
    guard let list else { return [] }
    let count = Int(list.pointee.length)
    var result: [RawNode] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        if let node = list.pointee.elements[index].ptr_value { result.append(node.assumingMemoryBound(to: Node.self)) }
    }
    return result
}

@inline(__always)
func count(_ list: RawList?) -> Int { list.map { Int($0.pointee.length) } ?? 0 }

/// The value of a `String` node (identifiers and names in lists).
@inline(__always)
func stringValue(_ node: RawNode) -> String? {
    guard node.tag == T_String else { return nil }
    return text(node.as(PgString.self).pointee.sval)
}

func strings(_ list: RawList?) -> [String] {
    nodes(list).compactMap(stringValue)
}

func objectName(_ rangeVar: UnsafeMutablePointer<RangeVar>?) -> ObjectName {
    guard let rangeVar else { return ObjectName(name: "") }
    return ObjectName(schema: optionalText(rangeVar.pointee.schemaname), name: text(rangeVar.pointee.relname))
}

/// The struct name of a node, e.g. `InsertStmt`: how statements Steward does not model are labelled.
func nodeKindName(_ node: RawNode) -> String {
    steward_node_tag_name(node.tag).map { String(cString: $0) } ?? "Node\(node.tag.rawValue)"
}

/// Every relation, CTE name and function call below a node, as PostgreSQL's own
/// `raw_expression_tree_walker` finds them (queries, DML, expressions). CTE names are
/// kept apart so that callers can tell them from real relations.
struct RelationReferenceCollector {
    var relations: [ObjectName] = []
    var cteNames: Set<String> = []
    /// Functions called anywhere below (`FuncCall` nodes), as written.
    var functionCalls: [ObjectName] = []

    mutating func collect(_ node: RawNode) {
        withUnsafeMutablePointer(to: &self) { collector in
            _ = steward_raw_walk(node, { node, context in
                guard let node, let context else { return false }
                let collector = context.assumingMemoryBound(to: RelationReferenceCollector.self)
                switch node.tag {
                case T_RangeVar: collector.pointee.relations.append(objectName(node.as(RangeVar.self)))
                case T_FuncCall: collector.pointee.functionCalls.append(objectName(strings(node.as(FuncCall.self).pointee.funcname)))
                case T_CommonTableExpr: collector.pointee.cteNames.insert(text(node.as(CommonTableExpr.self).pointee.ctename))
                default: break
                }
                return true
            }, collector)
        }
    }
}

/// Functions an expression calls, e.g. `[gen_random_uuid]` for `DEFAULT gen_random_uuid()`.
func functionCalls(in node: RawNode) -> [ObjectName] {
    var collector = RelationReferenceCollector()
    collector.collect(node)
    return collector.functionCalls
}
