import Foundation
@testable import StewardCore
import StewardSQL
import Testing

/// A table keeps its rare fields (comment, partition parent, inheritance, managing tool) out of
/// line: they read and write as stored fields, copies do not see each other's changes, and the
/// JSON is what the stored fields gave (optional fields only when set).
struct TableFieldsTests {
    let origin = Origin(path: "1.sql", line: 1, column: 1)

    @Test func rareFieldsReadAndWriteAsStoredFields() throws {
        var table = Table(name: ObjectName(schema: "public", name: "t"), columns: [], constraints: [], triggers: [], isPartitioned: false,
                          isUnlogged: false, origin: origin)
        #expect(table.comment == nil && table.commentOrigin == nil && table.partitionOf == nil && table.inheritsFrom.isEmpty && table.managedBy == nil)
        let plain = table
        table.comment = "orders"
        table.commentOrigin = Origin(path: "2.sql", line: 3, column: 1)
        table.partitionOf = ObjectName(schema: "public", name: "parent")
        table.inheritsFrom.append(ObjectName(schema: "public", name: "base"))
        table.managedBy = "goose"
        #expect(table.comment == "orders" && table.commentOrigin?.path == "2.sql" && table.partitionOf?.name == "parent")
        #expect(table.inheritsFrom.map(\.name) == ["base"] && table.managedBy == "goose")
        #expect(plain.comment == nil && plain.inheritsFrom.isEmpty, "a copy made before keeps its own fields")

        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(table)) as? [String: Any])
        #expect(Set(json.keys) == ["name", "columns", "constraints", "triggers", "comment", "commentOrigin", "partitionOf", "inheritsFrom",
                                   "isPartitioned", "isUnlogged", "origin", "managedBy", "privileges"])
        let plainJSON = try #require(try JSONSerialization.jsonObject(with: encoder.encode(plain)) as? [String: Any])
        #expect(Set(plainJSON.keys) == ["name", "columns", "constraints", "triggers", "inheritsFrom", "isPartitioned", "isUnlogged", "origin",
                                        "privileges"])

        table.comment = nil
        table.commentOrigin = nil
        table.partitionOf = nil
        table.inheritsFrom = []
        table.managedBy = nil
        #expect(try encoder.encode(table) == encoder.encode(plain), "every field back to its default: as a plain table")
    }
}
