import Foundation
import Testing

/// The throw-away redis-server that scripts/with-redis starts (scripts/test runs it).
struct TestRedis {
    let port: String
    let password: String

    static var isAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["STEWARD_TEST_REDIS_PORT"] != nil || environment["STEWARD_REQUIRE_POSTGRES"] == "1" || environment["CI"] == "true"
    }

    static func require() throws -> TestRedis {
        let environment = ProcessInfo.processInfo.environment
        let port = try #require(environment["STEWARD_TEST_REDIS_PORT"], "no redis-server: run the suite with scripts/test")
        return TestRedis(port: port, password: environment["STEWARD_TEST_REDIS_PASSWORD"] ?? "")
    }

    var url: String { "redis://:\(password)@127.0.0.1:\(port)" }

    @discardableResult
    func cli(_ arguments: [String]) throws -> CommandResult {
        let result = try run("/usr/bin/redis-cli", ["-p", port, "-a", password, "--no-auth-warning"] + arguments)
        try #require(result.status == 0, "redis-cli \(arguments): \(result.stderr)")
        return result
    }
}

/// `steward cache audit` against a real redis-server.
@Suite(.serialized, .enabled(if: TestRedis.isAvailable, "needs redis-server: run scripts/test"))
struct CacheAuditTests {
    let manifest: String

    init() throws {
        manifest = FileManager.default.temporaryDirectory.appendingPathComponent("steward-cache-\(UUID().uuidString).yml").path
        try """
            version: 1
            services:
              web:
                owners: ["@shop/web"]
                tables: [sessions]
                cache:
                  prefixes: ["web:"]
              admin:
                owners: ["@shop/admin"]
                tables: [audit_log]
                cache:
                  prefixes: ["web:admin:", "admin:"]
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
    }

    private func audit(_ redis: TestRedis, _ extra: [String] = []) throws -> CommandResult {
        try steward(["cache", "audit", "--redis", redis.url, "--manifest", manifest] + extra)
    }

    @Test func keysPerServiceUnprefixedAndAmbiguous() throws {
        let redis = try TestRedis.require()
        defer { _ = try? redis.cli(["FLUSHALL"]); try? FileManager.default.removeItem(atPath: manifest) }
        try redis.cli(["FLUSHALL"])
        // 2,000 web keys (half expiring), 10 admin keys, 3 without a prefix, 1 claimed by both.
        try redis.cli(["EVAL", """
            for i = 1, 2000 do redis.call('SET', 'web:item:' .. i, string.rep('x', 100)) if i % 2 == 0 then redis.call('EXPIRE', 'web:item:' .. i, 3600) end end
            for i = 1, 10 do redis.call('SET', 'admin:user:' .. i, 'y') end
            for i = 1, 3 do redis.call('SET', 'legacy:' .. i, 'z') end
            redis.call('SET', 'web:admin:flags', 'both')
            return 1
            """, "0"])
        let before = try redis.cli(["DBSIZE"]).stdout
        let result = try audit(redis, ["--format", "json", "--sample", "200"])
        #expect(result.status == 1, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let owners = Dictionary(uniqueKeysWithValues: (document["owners"] as? [[String: Any]] ?? []).map { ($0["owner"] as? String ?? "", $0) })
        #expect(owners["web"]?["keys"] as? Int == 2000)
        #expect(owners["admin"]?["keys"] as? Int == 10)
        #expect(owners["unprefixed"]?["keys"] as? Int == 3)
        #expect(owners["ambiguous"]?["keys"] as? Int == 1)
        #expect(document["database_keys"] as? Int == 2014)
        let webShare = try #require(owners["web"]?["expiring_share"] as? Double)
        #expect(abs(webShare - 0.5) < 0.2, "sampled expiring share \(webShare)")
        let webBytes = try #require(owners["web"]?["estimated_bytes"] as? Int)
        #expect(webBytes > 2000 * 100, "estimated memory \(webBytes)")
        let attribution = try #require(document["attribution"] as? [String: Any])
        #expect((attribution["ambiguous_samples"] as? [[String: Any]])?.first?["key"] as? String == "web:admin:flags")
        // Steward only read: the same keys, the same expiry.
        #expect(try redis.cli(["DBSIZE"]).stdout == before)
        #expect(try redis.cli(["TTL", "web:item:1"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "-1")

        let text = try audit(redis)
        #expect(text.stdout.contains("2014 keys in the database, 2014 scanned"), "\(text.stdout)")
        #expect(text.stdout.contains("keys that match several services' prefixes, e.g.:\n  web:admin:flags  (web, admin)"))
        let truncated = try audit(redis, ["--max-keys", "100"])
        #expect(truncated.stdout.contains("100 scanned (stopped at --max-keys)"), "\(truncated.stdout)")
    }

    @Test func cleanCacheExitsZero() throws {
        let redis = try TestRedis.require()
        defer { _ = try? redis.cli(["FLUSHALL"]); try? FileManager.default.removeItem(atPath: manifest) }
        try redis.cli(["FLUSHALL"])
        try redis.cli(["SET", "web:a", "1"])
        try redis.cli(["SET", "admin:b", "1"])
        let result = try audit(redis)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        try redis.cli(["FLUSHALL"])
        let empty = try audit(redis)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("the database has no keys: nothing to audit"))
        #expect(!empty.stderr.contains(redis.password))
    }

    @Test("connection problems exit 2 with the password masked", arguments: [
        ("wrong-password", "WRONGPASS"),
        ("refused", "Connection refused"),
        ("invalid", "invalid Redis URL"),
        ("tls", "rediss:// (TLS) is not supported"),
    ])
    func connectionProblems(_ scenario: String, _ expected: String) throws {
        let redis = try TestRedis.require()
        defer { try? FileManager.default.removeItem(atPath: manifest) }
        let url: String
        switch scenario {
        case "wrong-password": url = "redis://:hunter2-secret@127.0.0.1:\(redis.port)"
        case "refused": url = "redis://:hunter2-secret@127.0.0.1:1"
        case "invalid": url = "redis://:hunter2-secret@127.0.0.1:\(redis.port)/not-a-number"
        default: url = "rediss://:hunter2-secret@127.0.0.1:\(redis.port)"
        }
        let result = try steward(["cache", "audit", "--redis", url, "--manifest", manifest])
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2-secret"))
    }
}
