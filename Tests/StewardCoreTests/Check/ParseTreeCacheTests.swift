import Foundation
import StewardSQL
import Testing
@testable import StewardCore

struct ParseTreeCacheTests {
    private let sql = SourceText("CREATE TABLE accounts (id bigint PRIMARY KEY);\nALTER TABLE accounts ADD COLUMN name text;\n")

    @Test func aStoredTreeGivesTheSameStatementsAsParsing() throws {
        let directory = try TemporaryDirectory()
        let cache = ParseTreeCache(directory: directory.path)
        let range = 0..<sql.bytes.count
        let key = cache.key(for: sql.bytes[range])
        let parsed = try SQLParser.parse(sql, range: range).get()
        let storing = try cache.parse(sql, range: range, key: key).get()
        #expect(cache.load(key) != nil, "a successful parse is stored")
        let loaded = try cache.parse(sql, range: range, key: key).get()
        for statements in [storing, loaded] {
            #expect(statements.map(\.range) == parsed.map(\.range))
            #expect(statements.map { "\($0.statement)" } == parsed.map { "\($0.statement)" })
        }
    }

    @Test func theKeyIsTheContentNotThePosition() {
        let cache = ParseTreeCache(directory: "/nonexistent")
        let shifted = SourceText("-- moved down\n" + String(decoding: sql.bytes, as: UTF8.self))
        #expect(cache.key(for: sql.bytes[...]) == cache.key(for: shifted.bytes[14...]))
        #expect(cache.key(for: sql.bytes[...]) != cache.key(for: shifted.bytes[...]))
    }

    @Test func syntaxErrorsAreNotStored() throws {
        let directory = try TemporaryDirectory()
        let cache = ParseTreeCache(directory: directory.path)
        let broken = SourceText("CREATE TABLE (;")
        let key = cache.key(for: broken.bytes[...])
        #expect(throws: SyntaxError.self) { try cache.parse(broken, range: 0..<broken.bytes.count, key: key).get() }
        #expect(cache.load(key) == nil)
    }

    @Test func damagedEntriesAreMisses() throws {
        let directory = try TemporaryDirectory()
        let cache = ParseTreeCache(directory: directory.path)
        let tree = try SQLParser.serializedTree(sql, range: 0..<sql.bytes.count).get()
        cache.store(tree, key: "k")
        #expect(cache.load("k") == tree)
        let path = directory.url.appendingPathComponent("k.tree")
        var bytes = [UInt8](try Data(contentsOf: path))
        bytes[bytes.count - 1] ^= 1
        try Data(bytes).write(to: path)
        #expect(cache.load("k") == nil, "a flipped bit fails the checksum")
        try Data(bytes.prefix(10)).write(to: path)
        #expect(cache.load("k") == nil, "a truncated header is a miss")
    }

    @Test func pruningDropsOnlyLongUnusedEntriesOnceTheDirectoryIsLarge() throws {
        let directory = try TemporaryDirectory()
        let cache = ParseTreeCache(directory: directory.path)
        let old = Date().addingTimeInterval(-40 * 24 * 3600)
        func entry(_ name: String, modified: Date) throws {
            let url = try directory.write(name, "x")
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
        }
        for index in 0..<200 { try entry("old\(index).tree", modified: old) }
        for index in 0..<100 { try entry("recent\(index).tree", modified: Date()) }
        try entry("old0.tree.1234.5678", modified: old)  // a crashed run's temporary file
        try entry("used.tree", modified: old)

        cache.prune(keeping: Set((0..<100).map { "other\($0)" }))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 302,
                "a directory within twice the run's entries (+256) is left alone")

        cache.prune(keeping: ["used"])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(left.count == 101)
        #expect(left.contains("used.tree") && left.contains("recent0.tree"))
        #expect(!left.contains("old0.tree") && !left.contains("old0.tree.1234.5678"))
    }
}
