/// The names Postgres generates for unnamed constraints, indexes and sequences
/// (`makeObjectName`, `ChooseRelationName`, `ChooseConstraintName` in
/// src/backend/commands/indexcmds.c and catalog/pg_constraint.c), so the model's names
/// match the catalog of a real database.
enum PostgresNaming {
    /// NAMEDATALEN - 1: identifiers are cut to 63 bytes.
    static let maximumIdentifierBytes = 63

    /// `name1_name2_label`, shortening the longer of name1/name2 first so that the label survives.
    static func makeObjectName(_ name1: String, _ name2: String?, _ label: String?) -> String {
        let length = name1.utf8.count + (name2.map { $0.utf8.count + 1 } ?? 0) + (label.map { $0.utf8.count + 1 } ?? 0)
        if length <= maximumIdentifierBytes {
            // The usual case: nothing to shorten.
            var result = name1
            if let name2 { result += "_" + name2 }
            if let label { result += "_" + label }
            return result
        }
        var first = Array(name1.utf8), second = name2.map { Array($0.utf8) }
        var overhead = 0
        if second != nil { overhead += 1 }
        if let label { overhead += label.utf8.count + 1 }
        let available = maximumIdentifierBytes - overhead
        var firstCount = first.count, secondCount = second?.count ?? 0
        while firstCount + secondCount > available {
            if firstCount > secondCount { firstCount -= 1 } else { secondCount -= 1 }
        }
        first = clip(first, to: firstCount)
        second = second.map { clip($0, to: secondCount) }
        var result = String(decoding: first, as: UTF8.self)
        if let second { result += "_" + String(decoding: second, as: UTF8.self) }
        if let label { result += "_" + label }
        return result
    }

    /// `pg_mbcliplen`: never cut inside a multi-byte character.
    private static func clip(_ bytes: [UInt8], to count: Int) -> [UInt8] {
        guard count < bytes.count else { return bytes }
        var end = max(0, count)
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(bytes[..<end])
    }

    /// Tries `label`, then `label1`, `label2`, … until `isTaken` says no.
    static func choose(_ name1: String, _ name2: String?, _ label: String, isTaken: (String) -> Bool) -> String {
        var pass = 0
        var candidate = makeObjectName(name1, name2, label)
        while isTaken(candidate) {
            pass += 1
            candidate = makeObjectName(name1, name2, "\(label)\(pass)")
        }
        return candidate
    }

    /// Column names joined with `_`, as `ChooseIndexNameAddition` and
    /// `ChooseForeignKeyConstraintNameAddition` build them.
    static func addition(_ columns: [String]) -> String? {
        columns.isEmpty ? nil : columns.joined(separator: "_")
    }

    /// The parser truncates identifiers longer than 63 bytes.
    static func truncateIdentifier(_ name: String) -> String {
        let bytes = Array(name.utf8)
        guard bytes.count > maximumIdentifierBytes else { return name }
        return String(decoding: clip(bytes, to: maximumIdentifierBytes), as: UTF8.self)
    }
}
