// Rendered expressions: the text Steward prints for a default, check, index key or predicate.

/// Text being rendered, with the byte ranges where it names a column.
struct ExpressionWriter {
    var text = ""
    var columns: [RenderedExpression.ColumnSpan] = []
    var isOpaque = false

    mutating func append(_ piece: String) { text += piece }

    mutating func appendColumn(_ name: String) {
        let start = text.utf8.count
        text += Identifiers.quote(name)
        columns.append(RenderedExpression.ColumnSpan(start: start, end: text.utf8.count, name: name))
    }

    /// Text whose column references are not known (the deparser's, or qualified names).
    mutating func appendOpaque(_ piece: String) {
        text += piece
        isOpaque = true
    }
}

/// An expression as Steward prints it, with the unqualified column names it contains, so
/// that a RENAME COLUMN can be followed as PostgreSQL follows it (it stores attribute
/// numbers, and prints the current names). A class: the model keeps one per column,
/// constraint and index key, mostly nil, and a reference is the smallest optional.
public final class RenderedExpression: Sendable, Hashable, Codable {
    public struct ColumnSpan: Sendable, Hashable, Codable {
        /// UTF-8 offsets in `text`.
        public var start: Int
        public var end: Int
        public var name: String
    }

    public let text: String
    public let columns: [ColumnSpan]
    /// Part of the text came from the deparser or names qualified columns: references in
    /// that part are not known.
    public let isOpaque: Bool

    public init(text: String, columns: [ColumnSpan] = [], isOpaque: Bool = true) {
        self.text = text
        self.columns = columns
        self.isOpaque = isOpaque
    }

    public static func == (lhs: RenderedExpression, rhs: RenderedExpression) -> Bool {
        lhs.text == rhs.text && lhs.columns == rhs.columns && lhs.isOpaque == rhs.isOpaque
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The expression after `old` was renamed to `new`, for an expression that reads `old`;
    /// nil when it cannot tell (an opaque part might name the column).
    public func renamingColumn(_ old: String, to new: String) -> RenderedExpression? {
        guard !isOpaque else { return nil }
        guard columns.contains(where: { $0.name == old }) else { return self }
        var bytes: [UInt8] = []
        var spans: [ColumnSpan] = []
        var position = 0
        let utf8 = Array(text.utf8)
        for span in columns {
            bytes += utf8[position..<span.start]
            let name = span.name == old ? new : span.name
            let start = bytes.count
            bytes += Array(Identifiers.quote(name).utf8)
            spans.append(ColumnSpan(start: start, end: bytes.count, name: name))
            position = span.end
        }
        bytes += utf8[position...]
        return RenderedExpression(text: String(decoding: bytes, as: UTF8.self), columns: spans, isOpaque: false)
    }
}
