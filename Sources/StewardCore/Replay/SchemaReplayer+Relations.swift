import StewardSQL

// Walks over relations between objects (references, partitions, inheritance).
extension SchemaReplayer {
    /// Indexes of a table, in name order.
    func indexKeys(of table: ObjectName) -> [ObjectName] {
        indexesOf.values(of: table).filter { model.indexes[$0]?.table == table }
    }

    /// Sequences a column owns (serial, identity, `OWNED BY`).
    func sequences(ownedBy table: ObjectName, column: String) -> [ObjectName] {
        sequencesOf.values(of: table).filter { model.sequences[$0]?.ownedBy == table && model.sequences[$0]?.ownedByColumn == column }
    }

    /// Other tables with a foreign key to `table` (and `table` itself, for self-references).
    func tablesReferencing(_ table: ObjectName) -> [ObjectName] {
        Set(referencers.values(of: table) + [table]).filter { other in
            model.tables[other]?.constraints.contains { $0.references?.table == table } == true
        }.sorted()
    }

    func children(of table: ObjectName) -> [ObjectName] {
        guard tablesWithChildren.contains(table) else { return [] }
        return model.tables.values.filter { $0.partitionOf == table || $0.inheritsFrom.contains(table) }.map(\.name).sorted()
    }

    /// Partitions and inheritance children, recursively, each once, never `table` itself:
    /// cycle-safe even if the model held a cycle (the replay refuses to create one).
    func descendants(of table: ObjectName) -> [ObjectName] {
        var result: [ObjectName] = []
        var seen: Set<ObjectName> = [table]
        var queue = children(of: table)
        var position = 0
        while position < queue.count {
            let next = queue[position]
            position += 1
            guard seen.insert(next).inserted else { continue }
            result.append(next)
            queue += children(of: next)
        }
        return result
    }
}
