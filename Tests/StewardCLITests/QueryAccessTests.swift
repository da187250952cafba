import Foundation
import Testing

/// The services' query files end to end through the built binary: specvital's real sqlc files
/// attributed as its Go code calls them, column-precise breaking changes, and bad input.
struct QueryAccessTests {
    /// specvital's migrations and query files with the fixture manifest (its ownership.yml plus
    /// `queries:` entries following ATTRIBUTION.md), in a scratch folder.
    static func specvitalWithQueries() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-queries-\(UUID().uuidString)")
        let source = Paths.shared.appendingPathComponent("corpus/specvital")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["migrations", "queries"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: Paths.fixtures.appendingPathComponent("specvital-queries/ownership.yml"),
                                         to: folder.appendingPathComponent("ownership.yml"))
        return folder
    }

    static func lines(_ output: String, rule: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.contains("[\(rule)]:") }
    }

    @Test func specvitalCrossServiceWritesAndMultiWriterTablesFollowTheAttribution() throws {
        let folder = try Self.specvitalWithQueries()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(Paths.steward, ["check", "migrations", "--no-cache", "--select", "queries"], in: folder)
        #expect(result.status == 1, "\(result.stderr)")
        let writes = Self.lines(result.stdout, rule: "cross-service-write")
        let expectedWrites = [
            "queries/web/analysis.sql:82:8: error[cross-service-write]: query `UpdateCodebaseLastViewed` of service `web` writes codebases (last_viewed_at), owned by `analyzer`",
            "queries/worker/queries.sql:88:13: error[cross-service-write]: query `RecordUserAnalysisHistory` of service `analyzer` writes user_analysis_history",
            "queries/worker/queries.sql:193:13: error[cross-service-write]: query `RecordAnalysisUsageEvent` of service `analyzer` writes usage_events",
            "queries/worker/queries.sql:243:13: error[cross-service-write]: query `DeleteQuotaReservationByJobID` of service `analyzer` writes quota_reservations, owned by `web`",
            "queries/worker/queries.sql:243:13: error[cross-service-write]: query `DeleteQuotaReservationByJobID` of service `spec-generator` writes quota_reservations, owned by `web`",
            "queries/worker/queries.sql:273:13: error[cross-service-write]: query `DeleteExpiredUserAnalysisHistory` of service `retention-cleanup` writes user_analysis_history, owned by `web`",
            "queries/worker/queries.sql:283:13: error[cross-service-write]: query `DeleteExpiredSpecDocuments` of service `retention-cleanup` writes spec_documents, owned by `spec-generator`",
            "queries/worker/queries.sql:294:13: error[cross-service-write]: query `DeleteOrphanedAnalyses` of service `retention-cleanup` writes analyses, owned by `analyzer`",
        ]
        #expect(writes.count == expectedWrites.count, "\(writes.joined(separator: "\n"))")
        for expected in expectedWrites { #expect(writes.contains { $0.hasPrefix(expected) }, "missing: \(expected)") }

        let multi = Self.lines(result.stdout, rule: "multi-writer-table")
        #expect(multi.contains { $0.contains("user_analysis_history is written by 3 services: `analyzer`") && $0.contains("`retention-cleanup`") && $0.contains("`web`") })
        #expect(multi.contains { $0.contains("quota_reservations is written by 3 services") })
        #expect(multi.contains { $0.contains("codebases is written by 2 services") })
        // web reads the queue library's internal table.
        #expect(Self.lines(result.stdout, rule: "cross-service-read").contains {
            $0.hasPrefix("queries/web/river_job.sql:9:6: warning[cross-service-read]: query `FindActiveRiverJobByRepo` of service `web` reads river_job")
        })
        // Every query is valid against the 34 migrations (the PostgreSQL test below proves it).
        #expect(Self.lines(result.stdout, rule: "query-unknown-object").isEmpty)
        #expect(Self.lines(result.stdout, rule: "syntax-error").isEmpty)
        // The queries ATTRIBUTION.md gives to nobody (and web's leftovers) belong to no service.
        let unattributed = Self.lines(result.stdout, rule: "unattributed-query")
        for name in ["GetCodebaseByID", "CreateTestCase", "GetMonthlySpecViewUsage", "UpsertBehaviorCache", "DeleteExpiredClassificationCaches",
                     "UpsertCodebase", "DeleteExpiredRefreshTokens"] {
            #expect(unattributed.contains { $0.contains("query `\(name)`") }, "\(name) is not listed as unattributed")
        }
        #expect(unattributed.count == 17, "\(unattributed.joined(separator: "\n"))")
    }

    /// The specvital pull request that drops `codebases.last_viewed_at`: an error naming web's query.
    @Test func aDroppedColumnNamesTheOtherServicesQuery() throws {
        let folder = try Self.specvitalWithQueries()
        defer { try? FileManager.default.removeItem(at: folder) }
        let last = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("migrations").path)
            .filter { $0.hasSuffix(".sql") }.sorted().last)
        let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("migrations/\(last)"))
        handle.seekToEndOfFile()
        handle.write(Data("\nALTER TABLE codebases DROP COLUMN last_viewed_at;\nALTER TABLE codebases DROP COLUMN is_private;\n".utf8))
        try handle.close()
        let result = try run(Paths.steward, ["check", "migrations", "--no-cache", "--select", "drop-column,query-unknown-object"], in: folder)
        let drops = Self.lines(result.stdout, rule: "drop-column")
        #expect(drops.contains { $0.contains("error[drop-column]: DROP COLUMN last_viewed_at of codebases")
            && $0.contains("service `web` (@kubrickcode) writes it in `UpdateCodebaseLastViewed` (queries/web/analysis.sql:82)") }, "\(drops)")
        #expect(drops.contains { $0.contains("error[drop-column]: DROP COLUMN is_private of codebases") && $0.contains("service `web`") }, "\(drops)")
        // The query itself now fails against the schema.
        #expect(Self.lines(result.stdout, rule: "query-unknown-object").contains {
            $0.hasPrefix("queries/web/analysis.sql:83:") && $0.contains("last_viewed_at")
        }, "\(result.stdout)")
    }

    @Test func aDropIsAWarningWhenOnlyTheOwnersQueriesUseTheColumn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-queries-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ path: String, _ text: String) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("ownership.yml", """
            version: 1
            services:
              analyzer: {owners: ["@acme/analyzer"], tables: [codebases], queries: [queries/analyzer/*.sql]}
              web: {owners: ["@acme/web"], tables: [users], queries: ["queries/web/**/*.sql"]}
            """)
        try write("migrations/001_init.sql", "CREATE TABLE codebases (id bigint PRIMARY KEY, note text, seen timestamptz);\nCREATE TABLE users (id bigint PRIMARY KEY);\n")
        try write("migrations/002_drop.sql", "SET lock_timeout = '1s';\nALTER TABLE codebases DROP COLUMN note;\nALTER TABLE codebases DROP COLUMN seen;\n")
        try write("queries/analyzer/a.sql", "-- name: Notes :many\nSELECT id, note FROM codebases;\n")
        try write("queries/web/deep/w.sql", "-- name: Seen :many\nSELECT c.seen FROM codebases c JOIN users u ON u.id = c.id;\n")
        let result = try run(Paths.steward, ["check", "migrations", "--no-cache", "--select", "drop-column"], in: folder)
        #expect(result.stdout.contains("migrations/002_drop.sql:2:13: warning[drop-column]: DROP COLUMN note of codebases"), "\(result.stdout)")
        #expect(result.stdout.contains("migrations/002_drop.sql:3:13: error[drop-column]: DROP COLUMN seen of codebases")
            && result.stdout.contains("service `web` (@acme/web) reads it in `Seen` (queries/web/deep/w.sql:2)"), "\(result.stdout)")
        #expect(result.status == 1)
    }

    @Test func badQueryInputIsReportedWithItsLocation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-queries-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ path: String, _ text: String) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("ownership.yml", """
            version: 1
            services:
              web: {owners: ["@acme/web"], tables: [users], queries: [queries/*.sql, nothing/*.sql]}
            """)
        try write("migrations/001_init.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n")
        try write("queries/q.sql", "-- name: Broken :sometimes\nSELECT id FROM users;\nSELECT FROM WHERE;\n-- name: Fine :one\nSELECT id FROM users;\n")
        let result = try run(Paths.steward, ["check", "migrations", "--no-cache"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("ownership.yml:3:"), "\(result.stdout)")
        #expect(result.stdout.contains("warning[query-source-empty]: `queries:` entry `nothing/*.sql` of service `web` matches no file"))
        #expect(result.stdout.contains("queries/q.sql:1:1: warning[malformed-sqlc-annotation]: sqlc annotation of `Broken` has `:sometimes`"))
        #expect(result.stdout.contains("queries/q.sql:3:8: error[syntax-error]: syntax error at or near \"FROM\" (query file)") || result.stdout.contains("queries/q.sql:3:"), "\(result.stdout)")

        try write("ownership.yml", "version: 1\nservices:\n  web: {owners: [\"@acme/web\"], queries: [{only: [X]}]}\n")
        let invalid = try run(Paths.steward, ["check", "migrations", "--no-cache"], in: folder)
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("ownership.yml:3:") && invalid.stderr.contains("needs `path:`"), "\(invalid.stderr)")
    }
}
