import Foundation
import StewardLive
import StewardTestSupport
import Testing

/// The throw-away PostgreSQL that scripts/with-postgres starts (scripts/test runs it).
enum LiveTestServer {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Skipped locally without a server; under scripts/test and CI the tests fail instead.
    static var isAvailable: Bool {
        environment["STEWARD_TEST_PGHOST"] != nil || environment["STEWARD_REQUIRE_POSTGRES"] == "1" || environment["CI"] == "true"
    }

    /// The server's `postgres` database over the trusted Unix socket.
    static func target(database: String = "postgres") throws -> ConnectionTarget {
        let host = try #require(environment["STEWARD_TEST_PGHOST"], "no PostgreSQL: run the suite with scripts/test")
        let port = try #require(environment["STEWARD_TEST_PGPORT"])
        return ConnectionTarget("host=\(host) port=\(port) user=postgres dbname=\(database)")
    }

    static var packageRoot: URL { SharedFiles.packageRoot }
}
