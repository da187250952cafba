import StewardSQL

/// Which objects point at a key (tables referencing a table, indexes of a table, …): a
/// superset, so that drops and renames need not scan the model. Entries may be stale (every
/// use checks the model); each key's values are kept distinct and sorted as they are added,
/// because they are read on every change to a table (a much-referenced table has hundreds).
struct ReverseIndex: Sendable {
    private var entries: [ObjectName: [ObjectName]] = [:]

    mutating func add(_ value: ObjectName, to key: ObjectName) {
        entries[key, default: []].insertSorted(value)
    }

    /// The distinct values recorded for `key`, sorted (callers act on them in a stable order).
    func values(of key: ObjectName) -> [ObjectName] { entries[key] ?? [] }
}

extension Array where Element == ObjectName {
    /// Inserts `value` at its sorted place, unless it is there already.
    mutating func insertSorted(_ value: ObjectName) {
        // Appended in order is the common case: no search.
        if let last, last < value { return append(value) }
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        if low < count, self[low] == value { return }
        insert(value, at: low)
    }
}
