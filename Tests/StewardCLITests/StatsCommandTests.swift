import Foundation
import StewardCore
import StewardSQL
import Testing

/// `steward stats`, and the statistics it writes read back by `check --stats` and `report --stats`.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct StatsCommandTests {
    static var migrations: String { DiffCommandTests.migrations }
    static var manifest: String { DiffCommandTests.manifest }

    @Test func statisticsOfALiveDatabase() throws {
        let database = try TestDatabase.require()
        let name = try database.createDatabase("steward_stats")
        defer { database.dropDatabase(name) }
        try #require(try database.apply(try MigrationDiscovery.discover(at: Self.migrations), to: name).isEmpty)
        try database.psql(name, ["-c", """
            INSERT INTO customers (email) SELECT 'c' || i || '@example.com' FROM generate_series(1, 500) i;
            INSERT INTO orders (customer_id, total) SELECT i % 500 + 1, i FROM generate_series(1, 2000) i;
            DELETE FROM orders WHERE id <= 10;
            ANALYZE;
            """])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("steward-stats-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        // Counters reach the statistics views when the writing session ends; wait for them.
        var statistics: DatabaseStatistics?
        for _ in 0..<50 {
            let result = try steward(["stats", "--db", database.url(name), "--output", output.path])
            try #require(result.status == 0, "\(result.stderr)")
            let read = try DatabaseStatistics.load(path: output.path)
            if read.table(ObjectName(schema: "public", name: "orders"))?.deletes == 10 { statistics = read; break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let orders = try #require(statistics?.table(ObjectName(schema: "public", name: "orders")))
        #expect(orders.rowsEstimate == 1990)
        #expect(orders.inserts == 2000 && orders.deletes == 10)
        #expect(orders.totalBytes > 8192)
        #expect(statistics?.roles == nil, "pg_stat_statements is not installed in the test cluster")
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(text.contains("\"rows_estimate\" : 1990"))
        #expect(!text.contains("example.com"), "no data in the statistics")
        let script = "import json, sys, jsonschema; jsonschema.validate(json.loads(sys.stdin.read()), json.load(open(sys.argv[1])))"
        let valid = try run("/usr/bin/env", ["python3", "-c", script, "docs/stats.schema.json"], in: Paths.packageRoot, stdin: text)
        #expect(valid.status == 0, "\(valid.stderr)")

        // check --db reads the same statistics live: orders (~1990 rows) is small.
        let live = try steward(["check", Self.migrations, "--manifest", Self.manifest, "--no-cache", "--db", database.url(name)])
        #expect(live.stdout.contains("note[missing-lock-timeout]"), "\(live.stdout)\(live.stderr)")
        #expect(live.stdout.contains("(public.orders: ~2.0k rows,"), "\(live.stdout)")
    }

    /// A lock on a small table is info; on a large one an error; each says the table's size.
    @Test func lockFindingsAreWeighedBySize() throws {
        func statistics(rows: Int) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("steward-stats-\(UUID().uuidString).json").path
            try DatabaseStatistics(serverVersion: "15.20", tables: [
                DatabaseStatistics.TableStatistics(schema: "public", name: "orders", rowsEstimate: Int64(rows), totalBytes: Int64(rows) * 120,
                                                   inserts: 0, updates: 0, deletes: 0, sequentialScans: 0, indexScans: 0),
            ], roles: nil).json().write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let small = try statistics(rows: 50), large = try statistics(rows: 5_000_000)
        defer { try? FileManager.default.removeItem(atPath: small); try? FileManager.default.removeItem(atPath: large) }

        let unweighted = try steward(["check", Self.migrations, "--manifest", Self.manifest, "--no-cache"])
        #expect(unweighted.stdout.contains("warning[missing-lock-timeout]"))
        let onSmall = try steward(["check", Self.migrations, "--manifest", Self.manifest, "--no-cache", "--stats", small])
        #expect(onSmall.status == 0)
        #expect(onSmall.stdout.contains("note[missing-lock-timeout]"), "\(onSmall.stdout)")
        #expect(onSmall.stdout.contains("(public.orders: ~50 rows, 5.9 kB)"), "\(onSmall.stdout)")
        let onLarge = try steward(["check", Self.migrations, "--manifest", Self.manifest, "--no-cache", "--stats", large])
        #expect(onLarge.status == 1)
        #expect(onLarge.stdout.contains("error[missing-lock-timeout]"))
        #expect(onLarge.stdout.contains("(public.orders: ~5.0M rows, 572 MB)"), "\(onLarge.stdout)")
        let thresholds = try steward(["check", Self.migrations, "--manifest", Self.manifest, "--no-cache", "--stats", large,
                                      "--large-table-rows", "10000000"])
        #expect(thresholds.stdout.contains("warning[missing-lock-timeout]"))

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("steward-stats-broken.json").path
        try "{\"format_version\": 1, \"server_version\": \"15.20\", \"tables\": 3}".write(toFile: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let bad = try steward(["check", Self.migrations, "--manifest", Self.manifest, "--stats", broken])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("steward-stats-broken.json:1: error: not a statistics file written by `steward stats`: `tables`: expected an array"), "\(bad.stderr)")
    }

    @Test func theReportShowsEachServicesShare() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steward-stats-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DatabaseStatistics(serverVersion: "15.20", tables: [
            DatabaseStatistics.TableStatistics(schema: "public", name: "orders", rowsEstimate: 3000, totalBytes: 3 * 1024 * 1024,
                                               inserts: 300, updates: 0, deletes: 0, sequentialScans: 0, indexScans: 0),
            DatabaseStatistics.TableStatistics(schema: "public", name: "customers", rowsEstimate: 1000, totalBytes: 1024 * 1024,
                                               inserts: 100, updates: 0, deletes: 0, sequentialScans: 0, indexScans: 0),
        ], roles: [DatabaseStatistics.RoleStatistics(role: "steward_t_ordering", calls: 10, totalExecutionMilliseconds: 9000),
                   DatabaseStatistics.RoleStatistics(role: "steward_t_accounts", calls: 10, totalExecutionMilliseconds: 1000)])
            .json().write(toFile: path, atomically: true, encoding: .utf8)
        let result = try steward(["report", Self.migrations, "--manifest", Self.manifest, "--stats", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("| `accounts` | 1 | 1.0 MB | 25% | 100 | 25% | 10% (1 s) |"), "\(result.stdout)")
        #expect(result.stdout.contains("| `ordering` | 1 | 3.0 MB | 75% | 300 | 75% | 90% (9 s) |"))
    }
}
