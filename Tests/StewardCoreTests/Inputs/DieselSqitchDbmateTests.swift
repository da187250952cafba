import Foundation
@testable import StewardCore
import Testing

/// Diesel and Sqitch as their own sources define them, dbmate's strict markers, and what
/// discovery says when it finds nothing to check.
struct DieselSqitchDbmateTests {
    func discover(_ files: [String: String], layout: MigrationLayout? = nil) throws -> (set: MigrationSet, directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        for (name, contents) in files { try directory.write(name, contents) }
        return (try MigrationDiscovery.discover(at: directory.path, layout: layout), directory)
    }

    func relativePaths(_ set: MigrationSet) -> [String] {
        set.files.map { $0.path.split(separator: "/").suffix(2).joined(separator: "/") }
    }

    @Test func dieselOrdersByVersionWithDashesRemovedNotByFolderName() throws {
        let (set, _) = try discover([
            "2024-01-05-000000_later/up.sql": "SELECT 3;", "2024-01-05-000000_later/down.sql": "SELECT -3;",
            "20240104120000_middle/up.sql": "SELECT 2;",
            "00000000000000_diesel_initial_setup/up.sql": "SELECT 1;",
            "README.md": "not a migration",
        ])
        #expect(set.layout == .diesel)
        // A raw sort would put every dashed folder first ('-' < '0').
        #expect(relativePaths(set) == ["00000000000000_diesel_initial_setup/up.sql", "20240104120000_middle/up.sql", "2024-01-05-000000_later/up.sql"])
        #expect(set.files.map(\.version) == ["00000000000000", "20240104120000", "20240105000000"])
        #expect(set.downFiles.count == 1, "down.sql is kept aside, never replayed")
        #expect(set.files.allSatisfy { $0.transaction == .explicitPerFile })
    }

    @Test func dieselMetadataTurnsTheTransactionOffAsSerdeReadsIt() throws {
        let (set, _) = try discover([
            "1_off/up.sql": "SELECT 1;", "1_off/metadata.toml": "run_in_transaction = false # CIC below\n",
            "2_on/up.sql": "SELECT 2;", "2_on/metadata.toml": "run_in_transaction = true\n",
            // `#[serde(default)] run_in_transaction: bool`: a metadata.toml without the key means false.
            "3_absent/up.sql": "SELECT 3;", "3_absent/metadata.toml": "[other]\nrun_in_transaction = true\n",
            "4_invalid/up.sql": "SELECT 4;", "4_invalid/metadata.toml": "run_in_transaction = \"no\"\n",
        ])
        #expect(set.files.map(\.transaction) == [.implicitSingleQuery, .explicitPerFile, .implicitSingleQuery, .explicitPerFile])
        #expect(set.findings.map(\.location?.line) == [1])
    }

    @Test func dieselReportsFoldersItWouldRefuse() throws {
        let (set, _) = try discover(["1_ok/up.sql": "SELECT 1;", "2_no_up/down.sql": "SELECT 2;", "3_empty/up.sql": ""])
        #expect(set.findings.map(\.ruleID) == ["migration-format", "migration-format"])
        #expect(set.findings.allSatisfy { $0.severity == .error })
        #expect(set.findings.map(\.message).contains { $0.contains("unknown migration format") })
    }

    @Test func oneDieselFolderGivenDirectlyReplaysItsUpSqlOnly() throws {
        let directory = try TemporaryDirectory()
        try directory.write("2024-01-02-000000_users/up.sql", "CREATE TABLE users (id int);")
        try directory.write("2024-01-02-000000_users/down.sql", "DROP TABLE users;")
        let set = try MigrationDiscovery.discover(at: directory.path + "/2024-01-02-000000_users")
        #expect(set.layout == .diesel)
        #expect(set.files.map { ($0.path as NSString).lastPathComponent } == ["up.sql"])
        #expect(set.files.first?.version == "20240102000000")
    }

    @Test func sqitchFollowsThePlanAndItsReworkedChanges() throws {
        let (set, _) = try discover([
            "sqitch.plan": """
                %syntax-version=1.0.0
                %project=p

                zeta 2024-01-01T00:00:00Z A <a@example.com> # first, although it sorts last
                alpha [zeta] 2024-01-02T00:00:00Z A <a@example.com>
                fn/label [alpha] 2024-01-03T00:00:00Z A <a@example.com>
                @v1 2024-01-04T00:00:00Z A <a@example.com>
                @v1.1 2024-01-04T00:00:01Z A <a@example.com>

                fn/label [fn/label@v1] 2024-01-05T00:00:00Z A <a@example.com> # reworked
                """,
            "deploy/zeta.sql": "SELECT 1;", "deploy/alpha.sql": "SELECT 2;",
            "deploy/fn/label@v1.1.sql": "SELECT 3;", "deploy/fn/label.sql": "SELECT 4;",
            "revert/zeta.sql": "DROP SCHEMA x;", "verify/zeta.sql": "SELECT 1/0;",
        ])
        #expect(set.layout == .sqitch)
        // The first tag whose file exists names the earlier version's script.
        #expect(relativePaths(set) == ["deploy/zeta.sql", "deploy/alpha.sql", "fn/label@v1.1.sql", "fn/label.sql"])
        #expect(set.files.allSatisfy { $0.transaction == .perStatement })
        #expect(set.findings.isEmpty)
    }

    @Test func sqitchReportsAMissingDeployScript() throws {
        let (set, _) = try discover([
            "sqitch.plan": "%project=p\none 2024-01-01T00:00:00Z A <a@example.com>\ntwo 2024-01-02T00:00:00Z A <a@example.com>\n",
            "deploy/one.sql": "SELECT 1;",
        ])
        #expect(set.findings.map(\.location?.line) == [3])
        #expect(set.findings.first?.severity == .error)
    }

    @Test func sqitchNeverReadsScriptsOutsideDeploy() throws {
        let (set, _) = try discover([
            "sqitch.plan": "%project=p\n../secret 2024-01-01T00:00:00Z A <a@example.com>\n/etc/passwd 2024-01-01T00:00:00Z A <a@example.com>\nok 2024-01-01T00:00:00Z A <a@example.com>\n",
            "secret.sql": "SELECT 'do not print me';", "deploy/ok.sql": "SELECT 1;",
        ])
        #expect(set.files.map(\.name) == ["ok"])
        #expect(set.findings.map(\.location?.line) == [2, 3])
    }

    @Test func sqitchPsqlVariablesAndMetaCommandsAreNotes() throws {
        let (set, _) = try discover([
            "sqitch.plan": "%project=p\none 2024-01-01T00:00:00Z A <a@example.com>\n",
            "deploy/one.sql": "\\set ON_ERROR_STOP 1\nBEGIN;\nCREATE SCHEMA :\"schema\";\nSELECT :'registry', arr[1:2];\nCOMMIT;\n",
        ])
        let file = try #require(set.files.first)
        #expect(file.notices.map(\.severity) == [.info, .info])
        let masked = String(decoding: file.source.bytes, as: UTF8.self)
        #expect(masked.contains("CREATE SCHEMA  \"schema\"") && masked.contains("SELECT  'registry', arr[1:2]"))
    }

    @Test func dbmateMarkersMustStartAtColumnZero() throws {
        let (set, _) = try discover([
            "1_a.sql": "-- migrate:up\nCREATE TABLE a (id int);\n  -- migrate:down\nDROP TABLE a;\n-- migrate:down\n",
        ], layout: .dbmate)
        let file = try #require(set.files.first)
        // The indented marker is a comment, so the DROP belongs to the up block, as in dbmate.
        #expect(String(decoding: file.source.bytes, as: UTF8.self).contains("DROP TABLE a"))
        #expect(file.notices.map(\.location?.line) == [3])
        #expect(file.notices.first?.severity == .warning)
    }

    @Test func dbmateRefusesStatementsBeforeTheUpBlockAndAMissingDownBlock() throws {
        let (set, _) = try discover([
            "1_a.sql": "-- a comment is fine\nCREATE TYPE early AS ENUM ('x');\n-- migrate:up\nCREATE TABLE a (id int);\n",
            "2_b.sql": "-- Migrate:Up\nSELECT 1;\n",
        ], layout: .dbmate)
        #expect(set.files[0].notices.map(\.location?.line) == [2, 1])
        #expect(set.files[0].notices.allSatisfy { $0.severity == .error })
        #expect(!String(decoding: set.files[0].source.bytes, as: UTF8.self).contains("CREATE TYPE"))
        // Markers are case-sensitive: this file has no up block at all.
        #expect(set.files[1].notices.map(\.message).contains { $0.contains("no `-- migrate:up`") })
    }

    @Test func copyDataRowsAreNotSQL() throws {
        let (set, _) = try discover([
            "001_dump.sql": "CREATE TABLE t (a int, b text);\nCOPY public.t (a, b) FROM stdin;\n1\tit's\n2\t\\N\n\\.\nCREATE INDEX ON t (a);\n",
        ])
        let masked = String(decoding: set.files[0].source.bytes, as: UTF8.self)
        #expect(!masked.contains("it's") && !masked.contains("\\."))
        #expect(masked.contains("CREATE INDEX ON t (a);"))
        #expect(set.files[0].notices.isEmpty, "`\\.` ends COPY data; it is not a meta-command")
    }

    @Test func nothingToCheckIsAnInputErrorThatNamesTheUnreadFolders() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/001_a.sql", "SELECT 1;")
        try directory.write("notes.txt", "x")
        #expect {
            try MigrationDiscovery.discover(at: directory.path)
        } throws: { error in
            (error as? InputError)?.message.contains("no migrations found") == true && (error as? InputError)?.message.contains("/db") == true
        }
    }

    @Test func subFoldersATopLevelLayoutDoesNotReadAreReported() throws {
        let (set, _) = try discover(["001_a.sql": "SELECT 1;", "archive/000_old.sql": "SELECT 0;"])
        #expect(set.findings.map(\.ruleID) == ["unread-directory"])
    }
}
