import StewardCore
import StewardSQL
import Testing

struct AnnotationMigrationTests {
    /// The file each migration tool expects next.
    @Test func theMigrationIsNamedAsEachToolExpects() throws {
        let annotations = [OwnershipComments.Annotation(table: ObjectName(schema: nil, name: "users"), current: nil, desired: "@owner identity")]
        func set(_ layout: MigrationLayout, _ versions: [String]) -> MigrationSet {
            var set = MigrationSet(directory: "db", layout: layout, files: [], downFiles: [], gaps: [], findings: [])
            set.files = versions.map { MigrationFile(path: "db/\($0)", version: $0, name: "x", direction: .up, transaction: .explicitPerFile, original: SourceText(bytes: [])) }
            return set
        }
        let now = "20261205120000"
        func paths(_ layout: MigrationLayout, _ versions: [String]) throws -> [String] {
            try AnnotationMigration.files(for: annotations, in: set(layout, versions), timestamp: now).map(\.path)
        }
        #expect(try paths(.golangMigrate, ["0001", "0009"]) == ["0010_steward_ownership_comments.up.sql", "0010_steward_ownership_comments.down.sql"])
        #expect(try paths(.golangMigrate, ["20240101000000"]) == ["20261205120000_steward_ownership_comments.up.sql", "20261205120000_steward_ownership_comments.down.sql"])
        #expect(try paths(.flyway, ["1", "2.1", "10"]) == ["V11__steward_ownership_comments.sql"])
        #expect(try paths(.goose, ["00003"]) == ["00004_steward_ownership_comments.sql"])
        #expect(try paths(.dbmate, ["20270101000000"]) == ["20270101000001_steward_ownership_comments.sql"], "a clock behind the history")
        #expect(try paths(.prisma, ["20240101000000"]) == ["20261205120000_steward_ownership_comments/migration.sql"])
        #expect(try paths(.diesel, ["2024-01-01-000000"]) == ["2026-12-05-120000_steward_ownership_comments/up.sql", "2026-12-05-120000_steward_ownership_comments/down.sql"])
        #expect(try paths(.plain, []) == ["20261205120000_steward_ownership_comments.sql"])
        #expect(throws: AnnotationMigration.Unsupported.self) { try paths(.sqitch, []) }
        let goose = try AnnotationMigration.files(for: annotations, in: set(.goose, ["1"]), timestamp: now)[0].text
        #expect(goose.hasPrefix("-- +goose Up\n") && goose.contains("\n-- +goose Down\n"))
    }
}
