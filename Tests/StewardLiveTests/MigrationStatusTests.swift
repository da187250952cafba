import StewardCore
import StewardSQL
import Testing

@Suite struct MigrationStatusTests {
    func set(_ versions: [String]) -> MigrationSet {
        var set = MigrationSet(directory: "db", layout: .dbmate, files: [])
        set.files = versions.map {
            MigrationFile(path: "db/\($0)_m.sql", version: $0, name: "m", direction: .up, transaction: .explicitPerFile,
                          original: SourceText("SELECT 1;"))
        }
        return set
    }

    @Test func pendingUnknownAndFailed() {
        let status = MigrationStatus.compare(set(["1", "2", "3"]), applied: [
            AppliedMigration(version: "1"), AppliedMigration(version: "3", failed: true), AppliedMigration(version: "9"),
        ], table: "schema_migrations")
        #expect(status.pending.map(\.version) == ["2"])
        #expect(status.unknownApplied == ["9"])
        #expect(status.failed == ["3"])
        #expect(status.hasProblems)
    }

    @Test func checksumMismatch() {
        let status = MigrationStatus.compare(set(["1"]), applied: [AppliedMigration(version: "1", checksum: "old")], table: "_prisma_migrations",
                                             checksum: { MigrationChecksum.sha256Hex($0.original.bytes) })
        #expect(status.checksumMismatches.map(\.recorded) == ["old"])
        #expect(status.checksumMismatches.first?.expected == MigrationChecksum.sha256Hex(Array("SELECT 1;".utf8)))
    }

    /// golang-migrate keeps one row: everything up to it is applied.
    @Test func latestOnly() {
        let status = MigrationStatus.compare(set(["1", "2", "3"]), applied: [AppliedMigration(version: "2")], table: "schema_migrations",
                                             latestOnly: true)
        #expect(status.pending.map(\.version) == ["3"])
        #expect(status.unknownApplied.isEmpty)
        #expect(MigrationStatus.compare(set(["1", "2"]), applied: [], table: "t", latestOnly: true).pending.count == 2)
    }

    @Test func upToDate() {
        let status = MigrationStatus.compare(set(["1", "2"]), applied: [AppliedMigration(version: "1"), AppliedMigration(version: "2")], table: "t")
        #expect(!status.hasProblems)
    }
}
