import Foundation
import StewardCore
import Testing

/// specvital's sqlc queries are valid against its 34 migrations, as PostgreSQL itself says:
/// the reason Steward must report no `query-unknown-object` on them.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, "needs PostgreSQL: run scripts/test"))
struct PostgresQueryTests {
    /// Each query (the text between sqlc's `-- name:` lines) with sqlc's parameters rewritten to
    /// `$n` as sqlc does before it sends the query.
    static func preparedStatements(_ text: String) throws -> [(name: String, sql: String)] {
        var queries: [(String, String)] = []
        var name: String?
        var body = ""
        func flush() {
            if let name, !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { queries.append((name, body)) }
            body = ""
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- name:") {
                flush()
                name = line.split(separator: " ").dropFirst(2).first.map(String.init)
            } else {
                body += line + "\n"
            }
        }
        flush()
        let parameter = try Regex(#"sqlc\.(arg|narg|slice)\(\s*'?([A-Za-z_][A-Za-z0-9_]*)'?\s*\)|@([A-Za-z_][A-Za-z0-9_]*)"#)
        return queries.map { name, sql in
            var numbers: [String: Int] = [:]
            var highest = sql.matches(of: try! Regex(#"\$([0-9]+)"#)).compactMap { Int($0.output[1].substring ?? "") }.max() ?? 0
            let rewritten = sql.replacing(parameter) { match -> String in
                let key = String(match.output[2].substring ?? match.output[3].substring ?? "")
                if numbers[key] == nil { highest += 1; numbers[key] = highest }
                return "$\(numbers[key]!)"
            }
            var trimmed = rewritten.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasSuffix(";") { trimmed.removeLast() }
            return (name, trimmed)
        }
    }

    @Test func everySpecvitalQueryPreparesAgainstItsMigrations() throws {
        let database = try TestDatabase.require()
        let corpus = Paths.shared.appendingPathComponent("corpus/specvital")
        let set = try MigrationDiscovery.discover(at: corpus.appendingPathComponent("migrations").path)
        let name = try database.createDatabase("steward_queries")
        defer { database.dropDatabase(name) }
        try #require(try database.apply(set, to: name).isEmpty)
        var files: [URL] = []
        let enumerator = try #require(FileManager.default.enumerator(at: corpus.appendingPathComponent("queries"), includingPropertiesForKeys: nil))
        for case let url as URL in enumerator where url.pathExtension == "sql" { files.append(url) }
        try #require(files.count == 13)
        var prepared = 0
        for file in files.sorted(by: { $0.path < $1.path }) {
            for (index, query) in try Self.preparedStatements(String(contentsOf: file, encoding: .utf8)).enumerated() {
                let result = try database.psql(name, ["-c", "PREPARE q\(index) AS \(query.sql)"])
                #expect(result.status == 0, "\(file.lastPathComponent) \(query.name): \(result.stderr)")
                prepared += 1
            }
        }
        #expect(prepared == 150)
    }
}
