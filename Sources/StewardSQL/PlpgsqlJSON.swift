/// A JSON value (RFC 8259) as the PL/pgSQL walk reads it: libpg_query gives PL/pgSQL parse
/// trees as JSON only (`pg_query_parse_plpgsql`).
///
/// Read here rather than with Foundation's `JSONSerialization`, which took ~30 µs for a
/// 1.4 KB function body (building `[String: Any]` of boxed values): two thirds of the time
/// spent resolving the functions of a 100k-statement corpus. This reader builds only what the
/// walk needs (objects keep their members in order, numbers keep their integer value) and
/// accepts exactly JSON: anything else, or nesting deeper than `maximumDepth`, is no value,
/// as `JSONSerialization` refuses it. A differential test holds the two to the same steps.
enum PlpgsqlJSON: Equatable {
    case object([Member])
    case array([PlpgsqlJSON])
    case string(String)
    /// The value when it is an integer that fits an `Int`, else nil.
    case number(Int?)
    case bool(Bool)
    case null

    struct Member: Equatable {
        var key: String
        var value: PlpgsqlJSON
    }

    static let maximumDepth = 512

    /// The document in `bytes`, or nil when they are not one JSON value.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> PlpgsqlJSON? {
        var reader = Reader(bytes: bytes)
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipWhitespace()
        return reader.position == bytes.count ? value : nil
    }

    /// The member `key` of an object (the last one, should a key repeat); nil for other values.
    subscript(key: String) -> PlpgsqlJSON? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var integer: Int? {
        if case .number(let value) = self { return value }
        return nil
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func value(depth: Int) -> PlpgsqlJSON? {
            skipWhitespace()
            guard position < bytes.count, depth < PlpgsqlJSON.maximumDepth else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(PlpgsqlJSON.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        private mutating func object(depth: Int) -> PlpgsqlJSON? {
            position += 1
            var members: [Member] = []
            if skip(UInt8(ascii: "}")) { return .object(members) }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string(), skip(UInt8(ascii: ":")),
                      let value = value(depth: depth + 1) else { return nil }
                members.append(Member(key: key, value: value))
                guard let more = separator(closing: UInt8(ascii: "}")) else { return nil }
                if !more { return .object(members) }
            }
        }

        private mutating func array(depth: Int) -> PlpgsqlJSON? {
            position += 1
            var elements: [PlpgsqlJSON] = []
            if skip(UInt8(ascii: "]")) { return .array(elements) }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                guard let more = separator(closing: UInt8(ascii: "]")) else { return nil }
                if !more { return .array(elements) }
            }
        }

        /// Reads `byte` (after whitespace) if it comes next.
        private mutating func skip(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// After a member or an element: true for `,` (another follows), false for `closing`,
        /// nil for anything else.
        private mutating func separator(closing: UInt8) -> Bool? {
            if skip(UInt8(ascii: ",")) { return true }
            return skip(closing) ? false : nil
        }

        private mutating func literal(_ word: StaticString, _ value: PlpgsqlJSON) -> PlpgsqlJSON? {
            let count = word.utf8CodeUnitCount
            guard bytes.count - position >= count,
                  UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[position..<(position + count)]) else { return nil }
            position += count
            return value
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        private mutating func number() -> PlpgsqlJSON? {
            let start = position
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard let first = digits(), first == 1 || bytes[position - first] != UInt8(ascii: "0") else { return nil }
            var integral = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits() != nil else { return nil }
                integral = false
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard digits() != nil else { return nil }
                integral = false
            }
            guard integral else { return .number(nil) }
            return .number(Int(String(decoding: bytes[start..<position], as: UTF8.self)))
        }

        /// The count of digits read (nil for none).
        private mutating func digits() -> Int? {
            let start = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position > start ? position - start : nil
        }

        /// A string at `position` (its opening quote), escapes undone.
        mutating func string() -> String? {
            position += 1
            let start = position
            // Most strings have no escape: taken as they are.
            while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
                guard bytes[position] >= 0x20 else { return nil }
                position += 1
            }
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: "\"") {
                position += 1
                return String(validating: bytes[start..<(position - 1)], as: UTF8.self)
            }
            var decoded = Array(bytes[start..<position])
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: decoded, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { return nil }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                    case UInt8(ascii: "b"): decoded.append(0x08)
                    case UInt8(ascii: "f"): decoded.append(0x0C)
                    case UInt8(ascii: "n"): decoded.append(0x0A)
                    case UInt8(ascii: "r"): decoded.append(0x0D)
                    case UInt8(ascii: "t"): decoded.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        decoded.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                default:
                    guard byte >= 0x20 else { return nil }
                    decoded.append(byte)
                }
            }
            return nil
        }

        /// The scalar of `\uXXXX` (the `\u` read), a surrogate pair taking a second escape.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let unit = hexUnit() else { return nil }
            switch unit {
            case 0xD800..<0xDC00:
                guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { return nil }
                position += 2
                guard let low = hexUnit(), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00..<0xE000:
                return nil
            default:
                return Unicode.Scalar(unit)
            }
        }

        private mutating func hexUnit() -> UInt32? {
            guard bytes.count - position >= 4 else { return nil }
            var unit: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[position])).hexDigitValue else { return nil }
                unit = unit << 4 | UInt32(digit)
                position += 1
            }
            return unit
        }
    }
}
