import StewardSQL

/// Which objects point at a key (tables referencing a table, indexes of a table, …): a
/// superset, so that drops and renames need not scan the model. Appending is cheaper than
/// keeping sets (most keys are written once and never read); readers deduplicate and every
/// use checks the model, so stale or repeated entries are harmless.
struct ReverseIndex: Sendable {
    private var entries: [ObjectName: [ObjectName]] = [:]

    mutating func add(_ value: ObjectName, to key: ObjectName) {
        entries[key, default: []].append(value)
    }

    /// The distinct values recorded for `key`, sorted (callers act on them in a stable order).
    func values(of key: ObjectName) -> [ObjectName] {
        guard let values = entries[key] else { return [] }
        return values.count == 1 ? values : Array(Set(values)).sorted()
    }
}
