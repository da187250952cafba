#if canImport(Glibc)
import Glibc
#endif

/// The bytes of one SQL source and a line index, so that byte offsets reported by
/// libpg_query can be turned into the 1-based line and column an editor shows.
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        // memchr: every migration file is indexed once, on the way in, so this loop sees every byte.
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var position = 0
            while position < buffer.count, let found = memchr(base + position, 0x0A, buffer.count - position) {
                position = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
                starts.append(position)
            }
        }
        lineStarts = starts
    }

    public init(_ string: String) { self.init(bytes: Array(string.utf8)) }

    /// 1-based line and column of a byte offset. The column counts characters
    /// (UTF-8 scalar starts), not bytes, so multi-byte text lines up with the caret.
    public func location(ofByte offset: Int) -> SourceLocation {
        var line = 0
        return location(ofByte: offset, lineHint: &line)
    }

    /// `location(ofByte:)` for a caller that walks a file forward: `lineHint` is the 0-based
    /// line it last asked about (0 at first), checked with the next few lines before any
    /// search, and updated.
    public func location(ofByte offset: Int, lineHint: inout Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        func contains(_ line: Int) -> Bool { lineStarts[line] <= clamped && (line + 1 == lineStarts.count || clamped < lineStarts[line + 1]) }
        var low = lineHint >= 0 && lineHint < lineStarts.count ? lineHint : 0
        if !contains(low) {
            if low + 1 < lineStarts.count, contains(low + 1) {
                low += 1
            } else {
                low = 0
                var high = lineStarts.count - 1
                while low < high {
                    let mid = (low + high + 1) / 2
                    if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
                }
            }
        }
        lineHint = low
        let start = lineStarts[low]
        var column = 1
        var index = start
        while index < clamped {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        // A continuation byte at the offset itself belongs to the previous character.
        return SourceLocation(line: low + 1, column: column, offset: clamped)
    }

    /// The text of a 1-based line without its line terminator (`\n` or `\r\n`).
    public func line(_ number: Int) -> String {
        String(decoding: bytes[lineRange(number)], as: UTF8.self)
    }

    /// The byte range of a 1-based line without its line terminator (empty past the end).
    public func lineRange(_ number: Int) -> Range<Int> {
        guard number >= 1, number <= lineStarts.count else { return bytes.count..<bytes.count }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<end
    }

    /// Byte offset of a 1-based character position, as in `PgQueryError.cursorpos`.
    /// `start` is where the parsed text began, for statements parsed one at a time.
    public func byteOffset(ofCharacterPosition position: Int, from start: Int = 0) -> Int {
        guard position > 1 else { return start }
        var characters = 0
        var offset = start
        while offset < bytes.count {
            if bytes[offset] & 0xC0 != 0x80 {
                characters += 1
                if characters == position { return offset }
            }
            offset += 1
        }
        return bytes.count
    }

    public func text(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}

/// A position in a source file: 1-based line and character column, plus the byte offset.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool { lhs.offset < rhs.offset }
}
