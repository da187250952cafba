/// Dense ids (0, 1, 2…) for strings in order of first appearance, for strings that come in
/// runs (a change log file by file, a rule's findings file by file): a string equal to the
/// previous one answers before any hashing.
struct FirstAppearanceIDs {
    /// The strings, by id.
    private(set) var keys: [String] = []
    private var ids: [String: Int] = [:]
    private var last = -1

    /// `key`'s id, and whether this is its first appearance.
    mutating func id(of key: String) -> (id: Int, isNew: Bool) {
        if last >= 0, keys[last] == key { return (last, false) }
        if let known = ids[key] {
            last = known
            return (known, false)
        }
        keys.append(key)
        last = keys.count - 1
        ids[key] = last
        return (last, true)
    }
}

extension FirstAppearanceIDs {
    /// Each id's position among the strings sorted: `ranks()[id]`.
    func ranks() -> [Int] {
        var rank = [Int](repeating: 0, count: keys.count)
        for (position, id) in keys.indices.sorted(by: { keys[$0] < keys[$1] }).enumerated() { rank[id] = position }
        return rank
    }
}
