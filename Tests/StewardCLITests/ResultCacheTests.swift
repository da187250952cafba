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
        #expect(entries.filter { $0.hasSuffix(".findings") }.count == 1, "one entry per distinct input: text and json share it")
    }

    @Test func anEditedMigrationMissesTheCache() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-cache-edit-\(UUID().uuidString)")
        let cache = folder.appendingPathComponent("cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let migrations = folder.appendingPathComponent("migrations")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        try Data("CREATE TABLE a (id int);\n".utf8).write(to: migrations.appendingPathComponent("001_a.sql"))
        let environment = ["STEWARD_CACHE_DIR": cache.path]
        let first = try steward(["check", migrations.path, "--no-manifest"], in: folder, environment: environment)
        #expect(first.status == 0)
        try Data("CREATE TABLE a (id int,);\n".utf8).write(to: migrations.appendingPathComponent("001_a.sql"))
        let second = try steward(["check", migrations.path, "--no-manifest"], in: folder, environment: environment)
        #expect(second.status == 1)
        #expect(second.stdout.contains("error[syntax-error]"))
    }

    /// A copy of specvital's migrations and manifest in a scratch folder, with a cache beside it.
    private func specvitalCopy() throws -> (folder: URL, migrations: URL, cache: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-trees-\(UUID().uuidString)")
        let source = Paths.packageRoot.appendingPathComponent("../shared/corpus/specvital").standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("migrations"), to: folder.appendingPathComponent("migrations"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("ownership.yml"), to: folder.appendingPathComponent("ownership.yml"))
        return (folder, folder.appendingPathComponent("migrations"), folder.appendingPathComponent("cache"))
    }

    private func entries(in cache: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".findings") }.sorted()
            .map { cache.appendingPathComponent($0) }
    }

    @Test func anEditedMigrationMissesAndIsSeen() throws {
        let (folder, migrations, cache) = try specvitalCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["STEWARD_CACHE_DIR": cache.path]
        // A per-file parse-tree directory and a JSON entry left by earlier versions are removed, not read.
        let oldTrees = cache.appendingPathComponent("trees")
        try FileManager.default.createDirectory(at: oldTrees, withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: oldTrees.appendingPathComponent("0000.tree"))
        let oldEntry = cache.appendingPathComponent(String(repeating: "a", count: 64) + ".json")
        try Data("0\n{}".utf8).write(to: oldEntry)
        _ = try steward(["check", migrations.path, "--no-manifest"], in: folder, environment: environment)
        #expect(try entries(in: cache).count == 1)
        #expect(!FileManager.default.fileExists(atPath: oldTrees.path), "the earlier versions' trees/ directory is removed")
        #expect(!FileManager.default.fileExists(atPath: oldEntry.path), "the earlier versions' JSON entries are removed")

        let files = try FileManager.default.contentsOfDirectory(atPath: migrations.path).filter { $0.hasSuffix(".sql") }
        let edited = migrations.appendingPathComponent(try #require(files.sorted().last))
        let handle = try FileHandle(forWritingTo: edited)
        handle.seekToEndOfFile()
        handle.write(Data("\nCREATE TABLE zz_added (id integer PRIMARY KEY);\n".utf8))
        try handle.close()
        let cached = try steward(["check", migrations.path, "--no-manifest"], in: folder, environment: environment)
        let uncached = try steward(["check", migrations.path, "--no-manifest", "--no-cache"], in: folder, environment: environment)
        #expect(cached.stdout == uncached.stdout)
        #expect(cached.stdout.contains("zz_added"), "the edit is seen, not a stale result")
        #expect(try entries(in: cache).count == 2, "the edited input is a new entry")
    }

    @Test func aDamagedEntryIsAMissNotAWrongAnswer() throws {
        let (folder, migrations, cache) = try specvitalCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["STEWARD_CACHE_DIR": cache.path]
        let uncached = try steward(["check", migrations.path, "--no-manifest", "--no-cache"], in: folder, environment: environment)
        _ = try steward(["check", migrations.path, "--no-manifest"], in: folder, environment: environment)
        let entry = try #require(try entries(in: cache).first)
        let stored = [UInt8](try Data(contentsOf: entry))
        // A flipped bit inside a finding's message still decodes: only the digest tells.
        let message = Array("prefer text".utf8)
        let inMessage = try #require(stored.indices.dropLast(message.count).first { stored[$0..<($0 + message.count)].elementsEqual(message) })
        var flipped = stored
        flipped[inMessage] ^= 0x01
        let damages: [[UInt8]] = [flipped, Array(stored.prefix(stored.count * 2 / 3)), Array(stored.dropFirst(10)), []]
        for damage in damages {
            try Data(damage).write(to: entry)
            let damaged = try steward(["check", migrations.path, "--no-manifest"], in: folder, environment: environment)
            #expect(damaged.status == uncached.status)
            #expect(damaged.stdout == uncached.stdout)
        }
    }

    @Test func anUnwritableCacheDirectoryOnlyCostsSpeed() throws {
        let result = try steward(["check", "schema"], in: Paths.packageRoot, environment: ["STEWARD_CACHE_DIR": "/proc/steward-cannot-write-here"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(": 1 error, "))
    }
}
