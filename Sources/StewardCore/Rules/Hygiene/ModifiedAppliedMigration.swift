import StewardSQL

/// With `--since`: a migration that existed at the merge base has been edited.
public struct ModifiedAppliedMigration: Rule {
    public let descriptor = RuleDescriptor(
        id: "modified-applied-migration",
        category: .hygiene,
        defaultSeverity: .error,
        summary: "A migration that was already merged (and may be applied) has been edited.",
        rationale: """
            Databases that already ran the migration never see the edit: production and a fresh database diverge, \
            and tools that checksum applied migrations (Flyway, Atlas, golang-migrate's dirty flag) refuse to go on.
            """,
        remedy: "Revert the edit and write a new migration that makes the change.",
        triggering: [
            RuleExample(files: [ExampleFile("001_init.sql", "↓CREATE TABLE codebases (id bigint, name text);")],
                        applied: ["001_init.sql": "CREATE TABLE codebases (id bigint);"]),
            RuleExample(files: [ExampleFile("001_init.sql", "↓CREATE TABLE a (id int);"), ExampleFile("002_more.sql", "CREATE TABLE b (id int);")],
                        applied: ["001_init.sql": "CREATE TABLE a (id int, x int);"]),
        ],
        nonTriggering: [
            RuleExample(files: [ExampleFile("001_init.sql", "CREATE TABLE a (id int);"), ExampleFile("002_more.sql", "CREATE TABLE b (id int);")],
                        applied: ["001_init.sql": "CREATE TABLE a (id int);"]),
            RuleExample(files: [ExampleFile("001_init.sql", "CREATE TABLE a (id int);")]),
            RuleExample(files: [ExampleFile("V1__init.sql", "CREATE TABLE a (id int);"), ExampleFile("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT id, 1 AS n FROM a;")],
                        applied: ["V1__init.sql": "CREATE TABLE a (id int);", "R__views.sql": "CREATE OR REPLACE VIEW v AS SELECT id FROM a;"]),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let history = context.settings.history else { return [] }
        // Flyway re-runs a repeatable migration when it changes: editing one is how it is used.
        return context.migrations.files.filter { history.modified.contains($0.path) && $0.direction != .repeatable }.map { file in
            return finding("this migration existed at \(history.reference) (\(history.baseCommit.prefix(12))) and has been edited since: databases that already applied it will not see the change",
                           at: file.firstStatementLocation)
        }
    }
}
