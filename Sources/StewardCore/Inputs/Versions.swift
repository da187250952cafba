import Foundation

/// Version ordering as each tool implements it.
enum Versions {
    /// Numeric comparison of digit strings of any length (golang-migrate uint64, goose int64,
    /// timestamps), without overflow: strip leading zeros, shorter is smaller.
    static func numericLess(_ lhs: String, _ rhs: String) -> Bool {
        let left = normalizedDigits(lhs).utf8, right = normalizedDigits(rhs).utf8
        if left.count != right.count { return left.count < right.count }
        return left.lexicographicallyPrecedes(right)
    }

    static func normalizedDigits(_ digits: String) -> Substring {
        let trimmed = digits.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : trimmed
    }

    /// Flyway's `MigrationVersion`: `_` means `.`, parts compare numerically, trailing zero
    /// parts are dropped so that `1.0` equals `1`.
    static func flywayParts(_ version: String) -> [Substring] {
        var parts = version.replacingOccurrences(of: "_", with: ".").split(separator: ".", omittingEmptySubsequences: true)
            .map { normalizedDigits(String($0)) }
        while parts.count > 1, parts.last == "0" { parts.removeLast() }
        return parts
    }

    static func flywayLess(_ lhs: String, _ rhs: String) -> Bool {
        let left = flywayParts(lhs), right = flywayParts(rhs)
        for (a, b) in zip(left, right) where a != b {
            return numericLess(String(a), String(b))
        }
        return left.count < right.count
    }

    static func leadingDigits(_ name: String) -> String? {
        let digits = name.utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }
}
