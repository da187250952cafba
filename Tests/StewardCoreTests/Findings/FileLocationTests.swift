import Foundation
@testable import StewardCore
import Testing

/// Locations hold line, column and length in 32 bits each: the same values, the same JSON, and
/// a value beyond 32 bits clamped rather than wrapped.
struct FileLocationTests {
    @Test func encodesAsItsFourFields() throws {
        let location = FileLocation(path: "db/001_init.sql", line: 12, column: 7, length: 0)
        #expect(location.length == 1, "a span is at least one character")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(location), as: UTF8.self)
        #expect(json == #"{"column":7,"length":1,"line":12,"path":"db\/001_init.sql"}"#)
        #expect(try JSONDecoder().decode(FileLocation.self, from: Data(json.utf8)) == location)

        let origin = Origin(path: "db/001_init.sql", line: 3, column: 5)
        let originJSON = String(decoding: try encoder.encode(origin), as: UTF8.self)
        #expect(originJSON == #"{"column":5,"line":3,"path":"db\/001_init.sql"}"#)
        #expect(try JSONDecoder().decode(Origin.self, from: Data(originJSON.utf8)) == origin)
        #expect(origin.fileLocation == FileLocation(path: "db/001_init.sql", line: 3, column: 5))
    }

    @Test func valuesBeyondThirtyTwoBitsAreClamped() {
        var location = FileLocation(path: "a.sql", line: 1 << 40, column: -(1 << 40), length: 1 << 33)
        #expect(location.line == Int(Int32.max) && location.column == Int(Int32.min) && location.length == Int(Int32.max))
        location.line = 42
        location.column = 9
        #expect(location == FileLocation(path: "a.sql", line: 42, column: 9, length: Int(Int32.max)))
        #expect(FileLocation(path: "a.sql", line: 2, column: 1) < FileLocation(path: "a.sql", line: 10, column: 1))
        var origin = Origin(path: "a.sql", line: Int.max, column: 1)
        #expect(origin.line == Int(Int32.max))
        origin.column = 1 << 35
        #expect(origin.column == Int(Int32.max))
    }

    /// An origin's path is shared with the other origins of its file (the replay keeps one copy
    /// per file); two origins are equal, and hash alike, by their path's value, whoever holds it.
    @Test func originsCompareByTheirPathsValue() {
        let path = Shared("db/002_orders.sql")
        let shared = Origin(file: path, line: 4, column: 2)
        let own = Origin(path: "db/002_orders.sql", line: 4, column: 2)
        #expect(shared == own && shared.hashValue == own.hashValue)
        #expect(Origin(file: path, line: 9, column: 2).sharedPath === shared.sharedPath)
        #expect(shared != Origin(path: "db/003.sql", line: 4, column: 2) && shared != Origin(file: path, line: 4, column: 3))
        var moved = shared
        moved.path = "db/009_moved.sql"
        #expect(moved.path == "db/009_moved.sql" && shared.path == "db/002_orders.sql", "setting one origin's path leaves the file's others alone")
    }
}
