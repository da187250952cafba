import Foundation
@testable import StewardCore
import Testing

struct MigrationDiscoveryTests {
    func discover(_ files: [String: String], layout: MigrationLayout? = nil) throws -> MigrationSet {
        let directory = try TemporaryDirectory()
        for (name, contents) in files { try directory.write(name, contents) }
        return try MigrationDiscovery.discover(at: directory.path, layout: layout)
    }

    func names(_ set: MigrationSet) -> [String] { set.files.map { ($0.path as NSString).lastPathComponent } }

    @Test func golangMigrateOrdersVersionsNumericallyAndKeepsDownFilesAside() throws {
        let set = try discover([
            "10_ten.up.sql": "SELECT 10;", "9_nine.up.sql": "SELECT 9;", "9_nine.down.sql": "SELECT -9;",
            "100_hundred.up.sql": "SELECT 100;",
        ])
        #expect(set.layout == .golangMigrate)
        #expect(names(set) == ["9_nine.up.sql", "10_ten.up.sql", "100_hundred.up.sql"])
        #expect(set.downFiles.count == 1)
        #expect(set.files.allSatisfy { $0.transaction == .implicitSingleQuery })
    }

    @Test func flywayComparesDottedVersionsAndRunsRepeatablesLast() throws {
        let set = try discover([
            "V1_10__later.sql": "SELECT 1;", "V1_2__earlier.sql": "SELECT 1;", "V2__two.sql": "SELECT 1;",
            "R__views.sql": "SELECT 1;", "sub/V1_3__nested.sql": "SELECT 1;", "V3__no_tx.sql": "SELECT 1;",
            "V3__no_tx.sql.conf": "executeInTransaction=false\n",
        ])
        #expect(set.layout == .flyway)
        #expect(names(set) == ["V1_2__earlier.sql", "V1_3__nested.sql", "V1_10__later.sql", "V2__two.sql", "V3__no_tx.sql", "R__views.sql"])
        #expect(set.files[4].transaction == .perStatement)
        #expect(set.files[0].transaction == .explicitPerFile)
    }

    @Test func flywayTreatsOneAndOneZeroAsTheSameVersion() throws {
        let set = try discover(["V1__a.sql": "SELECT 1;", "V1_0__b.sql": "SELECT 1;"])
        #expect(set.findings.map(\.ruleID) == ["duplicate-migration-version"])
    }

    @Test func gooseKeepsTheUpSectionAndListsGoMigrationsAsGaps() throws {
        let set = try discover([
            "00002_b.sql": "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX i;\n",
            "00001_a.sql": "-- +goose Up\nCREATE TABLE t (a int);\n-- +goose Down\nDROP TABLE t;\n",
            "00003_c.go": "package migrations\n",
        ])
        #expect(set.layout == .goose)
        #expect(names(set) == ["00001_a.sql", "00002_b.sql"])
        #expect(set.files[0].transaction == .explicitPerFile)
        #expect(set.files[1].transaction == .perStatement)
        let masked = String(decoding: set.files[0].source.bytes, as: UTF8.self)
        #expect(masked.contains("CREATE TABLE t") && !masked.contains("DROP TABLE"))
        #expect(set.files[0].source.bytes.count == set.files[0].original.bytes.count, "masking keeps byte offsets")
        #expect(set.gaps.map(\.version) == ["00003"])
    }

    @Test func dbmateOrdersFilenamesLexicallyAndReadsTransactionOption() throws {
        let set = try discover([
            "9_nine.sql": "-- migrate:up\nSELECT 9;\n-- migrate:down\nSELECT 0;\n",
            "10_ten.sql": "-- migrate:up transaction:false\nSELECT 10;\n-- migrate:down\n",
        ])
        #expect(set.layout == .dbmate)
        // dbmate compares file names as strings: 10_ sorts before 9_.
        #expect(names(set) == ["10_ten.sql", "9_nine.sql"])
        #expect(set.files[0].transaction == .implicitSingleQuery)
        #expect(set.files[1].transaction == .explicitPerFile)
    }

    @Test func atlasReadsTxmodeAndChecksTheSumFile() throws {
        let set = try discover([
            "atlas.sum": "h1:abc=\n20240101000000_a.sql h1:x=\n",
            "20240101000000_a.sql": "CREATE TABLE a (id int);\n",
            "20240102000000_b.sql": "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON a (id);\n",
        ])
        #expect(set.layout == .atlas)
        #expect(set.files.map(\.transaction) == [.explicitPerFile, .perStatement])
        // The sum itself is checked by the atlas-sum-mismatch rule, as Atlas computes it.
        #expect(set.findings.isEmpty)
        #expect(set.atlasSum?.entries.map(\.file) == ["20240101000000_a.sql"])
        #expect(set.atlasSum?.sum == "abc=")
    }

    @Test func prismaReadsMigrationFoldersInOrder() throws {
        let set = try discover([
            "20240102000000_b/migration.sql": "SELECT 2;", "20240101000000_a/migration.sql": "SELECT 1;",
            "migration_lock.toml": "provider = \"postgresql\"\n",
        ])
        #expect(set.layout == .prisma)
        #expect(set.files.map(\.version) == ["20240101000000", "20240102000000"])
        #expect(set.files.allSatisfy { $0.transaction == .implicitSingleQuery })
    }

    @Test func psqlMetaCommandsAreSkippedWithAWarningButNotInsideDollarQuotes() throws {
        let set = try discover([
            "001_a.sql": "\\set ON_ERROR_STOP on\nCREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\nSELECT 'x'\n$$;\n\\connect other\n",
        ])
        #expect(set.files[0].notices.map(\.location?.line) == [1, 5])
        let masked = String(decoding: set.files[0].source.bytes, as: UTF8.self)
        #expect(!masked.contains("\\set") && !masked.contains("\\connect"))
    }

    @Test func aMissingDirectoryIsAnInputError() {
        #expect(throws: InputError.self) { try MigrationDiscovery.discover(at: "/nonexistent/steward/migrations") }
    }

    @Test func layoutCanBeForced() throws {
        let set = try discover(["1_a.up.sql": "SELECT 1;"], layout: .plain)
        #expect(set.layout == .plain)
        #expect(set.files.first?.transaction == .perStatement)
    }
}
