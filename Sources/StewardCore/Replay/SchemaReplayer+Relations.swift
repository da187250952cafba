import StewardSQL

// Walks over relations between objects (references, partitions, inheritance).
extension SchemaReplayer {
    /// Indexes of a table, in name order.
    mutating func indexKeys(of table: ObjectName) -> [ObjectName] {
        indexesOf.values(of: table).filter { Self.inPlace($0, in: &model.indexes) { $0.table == table } == true }
    }

    /// Sequences a column owns (serial, identity, `OWNED BY`).
    mutating func sequences(ownedBy table: ObjectName, column: String) -> [ObjectName] {
        sequencesOf.values(of: table).filter {
            Self.inPlace($0, in: &model.sequences) { $0.ownedBy == table && $0.ownedByColumn == column } == true
        }
    }

    /// Other tables with a foreign key to `table` (and `table` itself, for self-references).
    /// The reverse index's values are distinct and sorted already: `table` joins them at its place.
    mutating func tablesReferencing(_ table: ObjectName) -> [ObjectName] {
        var candidates = referencers.values(of: table)
        candidates.insertSorted(table)
        return candidates.filter { other in
            inTable(other) { $0.constraints.contains { $0.references?.table == table } } == true
        }
    }

    func children(of table: ObjectName) -> [ObjectName] {
        guard tablesWithChildren.contains(table) else { return [] }
        return model.tables.values.filter { $0.partitionOf == table || $0.inheritsFrom.contains(table) }.map(\.name).sorted()
    }

    /// Partitions and inheritance children, recursively, each once, never `table` itself:
    /// cycle-safe even if the model held a cycle (the replay refuses to create one).
    func descendants(of table: ObjectName) -> [ObjectName] {
        guard tablesWithChildren.contains(table) else { return [] }
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
