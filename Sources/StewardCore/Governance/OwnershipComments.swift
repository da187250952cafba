import StewardSQL

/// Ownership written into the schema: an `@owner <service>` tag in each table's comment, so
/// that `\d+` in psql shows whose table it is. The tag lives in the comment's text (data, not
/// SQL); `steward annotate` writes the migration that adds or fixes it.
public enum OwnershipComments {
    public static let tag = "@owner"

    /// The service a comment's `@owner` tag names, with the tag's range in the text.
    public static func taggedService(in comment: String) -> (service: String, range: Range<String.Index>)? {
        var searchStart = comment.startIndex
        while let found = comment[searchStart...].firstByteRange(of: tag) {
            searchStart = found.upperBound
            // The tag starts a word, and a blank follows it.
            if found.lowerBound != comment.startIndex, !comment[comment.index(before: found.lowerBound)].isWhitespace { continue }
            var nameStart = found.upperBound
            guard nameStart < comment.endIndex, comment[nameStart] == " " || comment[nameStart] == "\t" else { continue }
            while nameStart < comment.endIndex, comment[nameStart] == " " || comment[nameStart] == "\t" { nameStart = comment.index(after: nameStart) }
            var nameEnd = nameStart
            while nameEnd < comment.endIndex, comment[nameEnd].isLetter || comment[nameEnd].isNumber || "_-.".contains(comment[nameEnd]) {
                nameEnd = comment.index(after: nameEnd)
            }
            guard nameEnd > nameStart else { continue }
            return (String(comment[nameStart..<nameEnd]), found.lowerBound..<nameEnd)
        }
        return nil
    }

    /// The comment with its tag naming `service`: the existing text kept, a wrong tag replaced,
    /// a missing one added on its own line.
    public static func comment(_ existing: String?, taggedWith service: String) -> String {
        guard let existing, !existing.isEmpty else { return "\(tag) \(service)" }
        if let (_, range) = taggedService(in: existing) {
            var text = existing
            text.replaceSubrange(range, with: "\(tag) \(service)")
            return text
        }
        return existing + "\n\n\(tag) \(service)"
    }

    /// A table whose comment does not carry its owner's tag, and the comment it should have.
    public struct Annotation: Sendable {
        public var table: ObjectName
        public var current: String?
        public var desired: String

        public init(table: ObjectName, current: String?, desired: String) {
            self.table = table
            self.current = current
            self.desired = desired
        }
    }

    /// Every owned table (partitions and tool tables aside) whose tag is missing or wrong.
    public static func annotations(_ model: SchemaModel) -> [Annotation] {
        model.sortedTables.compactMap { table in
            guard let owner = table.owner?.service, table.partitionOf == nil, table.managedBy == nil else { return nil }
            if let comment = table.comment, taggedService(in: comment)?.service == owner { return nil }
            return Annotation(table: table.name, current: table.comment, desired: comment(table.comment, taggedWith: owner))
        }
    }

    /// `COMMENT ON TABLE …` statements for the annotations (names quoted as `quote_ident`
    /// does, the text as a standard string literal).
    public static func sql(_ annotations: [Annotation]) -> String {
        var text = "-- Ownership written into the schema by `steward annotate`: each table's comment names the service that owns\n"
        text += "-- it (ownership.yml). Existing comment text is kept.\n"
        for annotation in annotations {
            text += "COMMENT ON TABLE \(annotation.table.quotedSQL) IS '\(annotation.desired.doubling("'"))';\n"
        }
        return text
    }
}
