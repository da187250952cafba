import Foundation

/// `ALTER COLUMN … TYPE` from one type to another, both as `format_type` prints them: does
/// Postgres rewrite the table, and can every existing reader and writer keep working?
///
/// Postgres skips the rewrite when the conversion is binary-coercible (`varchar` → `text`)
/// or when the type's length-coercion function proves that the new modifier admits every old
/// value (`varchar_support`, `numeric_support`, `varbit_support`, `timestamp_support`…). The
/// agreement tests check each case against a real PostgreSQL 15 (the table's relfilenode
/// stays the same).
public struct ColumnTypeChange: Sendable, Hashable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// A type split into its name and modifiers: `timestamp(3) with time zone` is
    /// (`timestamp with time zone`, [3]); `numeric(10,2)` is (`numeric`, [10, 2]).
    struct Parts: Equatable {
        var base: String
        var modifiers: [Int]

        init(_ formatted: String) {
            // Byte-level: seven type rules ask for the base type of every column with a modifier.
            let utf8 = formatted.utf8
            guard let open = utf8.firstIndex(of: UInt8(ascii: "(")), let close = utf8[open...].firstIndex(of: UInt8(ascii: ")")) else {
                self.base = formatted
                self.modifiers = []
                return
            }
            let after = utf8.index(after: close)
            self.base = Self.trimmingSpaces(String(formatted[..<open]) + String(formatted[after...]))
            self.modifiers = utf8[utf8.index(after: open)..<close].split(separator: UInt8(ascii: ",")).compactMap { digits in
                Int(Self.trimmingSpaces(String(decoding: digits, as: UTF8.self)))
            }
        }

        /// Without leading and trailing blanks (`format_type` puts one before ` with time zone`).
        private static func trimmingSpaces(_ text: String) -> String {
            let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
            guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else { return "" }
            return first == text.startIndex && last == text.index(before: text.endIndex) ? text : String(text[first...last])
        }
    }

    /// Types whose length coercion is a no-op when the new limit is at least the old one
    /// (or absent): the first modifier is a maximum length or a precision.
    private static let widenableByModifier: Set<String> = [
        "character varying", "bit varying", "timestamp without time zone", "timestamp with time zone",
        "time without time zone", "time with time zone", "interval",
    ]

    /// Pairs Postgres converts without touching the data (pg_cast `castmethod = 'b'`).
    private static let binaryCoercible: Set<[String]> = [
        ["character varying", "text"], ["text", "character varying"], ["cidr", "inet"],
        ["character varying", "character varying"],
    ]

    /// True unless Postgres can keep the table's data files as they are.
    public var rewritesTable: Bool {
        if from == to { return false }
        let old = Parts(from), new = Parts(to)
        if Self.widenableByModifier.contains(old.base), old.base == new.base {
            return !Self.admits(old: old.modifiers, new: new.modifiers)
        }
        if old.base == "numeric", new.base == "numeric" {
            // numeric_support: same scale and no smaller precision, or no modifier at all.
            if new.modifiers.isEmpty { return false }
            guard old.modifiers.count >= 1 else { return true }
            let oldScale = old.modifiers.count > 1 ? old.modifiers[1] : 0, newScale = new.modifiers.count > 1 ? new.modifiers[1] : 0
            return !(oldScale == newScale && new.modifiers[0] >= old.modifiers[0])
        }
        if Self.binaryCoercible.contains([old.base, new.base]) {
            // To `varchar(n)` from text the values must be checked (and possibly cut): a rewrite.
            return !new.modifiers.isEmpty && !(old.base == new.base && Self.admits(old: old.modifiers, new: new.modifiers))
        }
        return true
    }

    /// Whether readers and writers of the column keep working: the new type accepts every
    /// value the old one held and returns it unchanged (a widening). Anything else can break
    /// the services that read or write the column.
    public var isWidening: Bool {
        if !rewritesTable { return true }
        let old = Parts(from), new = Parts(to)
        let integerRank = ["smallint": 0, "integer": 1, "bigint": 2]
        if let oldRank = integerRank[old.base], let newRank = integerRank[new.base] { return newRank >= oldRank }
        if old.base == "real", new.base == "double precision" { return true }
        if ["smallint", "integer", "bigint"].contains(old.base), new.base == "numeric", new.modifiers.isEmpty { return true }
        // char(n) → text drops the blanks char(n) pads with; every other conversion can fail or change values.
        return false
    }

    /// A new modifier admits every old value: none (unlimited), or a first modifier at least as large.
    private static func admits(old: [Int], new: [Int]) -> Bool {
        guard let newLimit = new.first else { return true }
        guard let oldLimit = old.first else { return false }
        return newLimit >= oldLimit
    }
}
