import StewardSQL

/// A migration without a way back, where the tool supports one (off by default).
public struct MissingDownMigration: Rule {
    public let descriptor = RuleDescriptor(
        id: "missing-down-migration",
        category: .hygiene,
        defaultSeverity: .warning,
        summary: "A migration has no down migration (golang-migrate, goose, Diesel, Sqitch).",
        rationale: "Teams that roll back by migrating down need every step to have a way back; others roll forward and can leave this off.",
        remedy: "Add the down file or section (`N_x.down.sql`, `-- +goose Down`, `down.sql`, `revert/x.sql`), or keep the rule off.",
        triggering: [
            RuleExample(files: [ExampleFile("1_init.up.sql", "↓CREATE TABLE a (id int);")]),
            RuleExample(files: [ExampleFile("1_init.up.sql", "CREATE TABLE a (id int);"), ExampleFile("1_init.down.sql", "DROP TABLE a;"),
                                ExampleFile("2_more.up.sql", "↓CREATE TABLE b (id int);")]),
        ],
        nonTriggering: [
            RuleExample(files: [ExampleFile("1_init.up.sql", "CREATE TABLE a (id int);"), ExampleFile("1_init.down.sql", "DROP TABLE a;")]),
            RuleExample("CREATE TABLE a (id int);"),
        ],
        enabledByDefault: false)

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.migrations.files.filter { $0.hasDown == false }.map { file in
            return finding("migration \(file.version) has no down migration", at: file.firstStatementLocation)
        }
    }
}
