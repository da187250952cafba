import Foundation
import Testing

/// The result cache must never change what Steward reports.
struct ResultCacheTests {
    static let corpora = ["schema", "../shared/corpus/specvital/migrations", "../shared/corpus/pg-regress/sql",
                          "../shared/corpus/hatchet/migrations", "Tests/Fixtures/syntax-error/migrations"]

    @Test("cached and uncached findings are identical", arguments: corpora)
    func cachedEqualsUncached(_ relativePath: String) throws {
        let directory = Paths.packageRoot.appendingPathComponent(relativePath).standardizedFileURL
        try #require(FileManager.default.fileExists(atPath: directory.path), "missing \(directory.path)")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("steward-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let environment = ["STEWARD_CACHE_DIR": cache.path]
        for format in ["text", "json"] {
            let arguments = ["check", directory.path, "--format", format]
            let uncached = try steward(arguments + ["--no-cache"], in: Paths.packageRoot, environment: environment)
            let filling = try steward(arguments, in: Paths.packageRoot, environment: environment)
            let cached = try steward(arguments, in: Paths.packageRoot, environment: environment)
            #expect(uncached.status == filling.status && filling.status == cached.status)
            #expect(uncached.stdout == filling.stdout)
            #expect(cached.stdout == uncached.stdout, "the cached run differs for \(relativePath) (\(format))")
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(entries.contains(".gitignore"))
        #expect(entries.filter { $0.hasSuffix(".json") }.count == 1, "one entry per distinct input: text and json share it")
    }

    @Test func anEditedMigrationMissesTheCache() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-cache-edit-\(UUID().uuidString)")
        let cache = folder.appendingPathComponent("cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let migrations = folder.appendingPathComponent("migrations")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        try Data("CREATE TABLE a (id int);\n".utf8).write(to: migrations.appendingPathComponent("001_a.sql"))
        let environment = ["STEWARD_CACHE_DIR": cache.path]
        let first = try steward(["check", migrations.path], in: folder, environment: environment)
        #expect(first.status == 0)
        try Data("CREATE TABLE a (id int,);\n".utf8).write(to: migrations.appendingPathComponent("001_a.sql"))
        let second = try steward(["check", migrations.path], in: folder, environment: environment)
        #expect(second.status == 1)
        #expect(second.stdout.contains("error[syntax-error]"))
    }

    @Test func anUnwritableCacheDirectoryOnlyCostsSpeed() throws {
        let result = try steward(["check", "schema"], in: Paths.packageRoot, environment: ["STEWARD_CACHE_DIR": "/proc/steward-cannot-write-here"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("1 error, 0 warnings"))
    }
}
