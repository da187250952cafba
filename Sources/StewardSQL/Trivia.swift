/// Whitespace and comments between tokens. This is not SQL parsing: libpg_query has
/// already found the statements; these helpers only move an offset past trivia.
public enum Trivia {
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }

    /// First offset in `start..<end` that is not whitespace or a `--` / nested `/* */` comment.
    static func skip(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var index = start
        while index < end {
            let byte = bytes[index]
            if isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "-") {
                while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "*") {
                var depth = 1
                index += 2
                while index < end, depth > 0 {
                    if bytes[index] == UInt8(ascii: "*"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "/") {
                        depth -= 1; index += 2
                    } else if bytes[index] == UInt8(ascii: "/"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "*") {
                        depth += 1; index += 2
                    } else {
                        index += 1
                    }
                }
            } else {
                break
            }
        }
        return index
    }

    /// First non-trivia offset at or after `offset` (to the end of the text).
    public static func firstToken(in bytes: [UInt8], from offset: Int) -> Int {
        skip(bytes, from: min(offset, bytes.count), to: bytes.count)
    }

    /// Offset of `keyword` when it is the token right before `offset` (only whitespace between).
    static func keywordBefore(_ keyword: String, offset: Int, in bytes: [UInt8]) -> Int? {
        var end = min(offset, bytes.count)
        while end > 0, isSpace(bytes[end - 1]) { end -= 1 }
        let length = keyword.utf8.count
        guard end >= length else { return nil }
        let start = end - length
        for (index, expected) in keyword.utf8.enumerated() where bytes[start + index] | 0x20 != expected {
            return nil
        }
        return start
    }
}
