import StewardSQL

/// With `--since`: a new migration sorts before one that was already merged.
public struct OutOfOrderMigration: Rule {
    public let descriptor = RuleDescriptor(
        id: "out-of-order-migration",
        category: .hygiene,
        defaultSeverity: .error,
        summary: "A new migration's version sorts before a migration that is already merged.",
        rationale: """
            Databases that ran the later migration either skip the new one (golang-migrate), refuse to go on (goose \
            without -allow-missing, Flyway without outOfOrder), or run it after the later one, in an order no \
            fresh database reproduces. It usually means a branch was merged after another one.
            """,
        remedy: "Renumber the new migration so it sorts after every merged one (regenerate its timestamp).",
        triggering: [
            RuleExample(files: [ExampleFile("001_init.sql", "CREATE TABLE a (id int);"), ExampleFile("002_new.sql", "↓CREATE TABLE b (id int);"),
                                ExampleFile("003_merged.sql", "CREATE TABLE c (id int);")],
                        applied: ["001_init.sql": "CREATE TABLE a (id int);", "003_merged.sql": "CREATE TABLE c (id int);"]),
            RuleExample(files: [ExampleFile("0001_new.sql", "↓SELECT 1;"), ExampleFile("0005_merged.sql", "CREATE TABLE c (id int);")],
                        applied: ["0005_merged.sql": "CREATE TABLE c (id int);"]),
        ],
        nonTriggering: [
            RuleExample(files: [ExampleFile("001_init.sql", "CREATE TABLE a (id int);"), ExampleFile("002_new.sql", "CREATE TABLE b (id int);")],
                        applied: ["001_init.sql": "CREATE TABLE a (id int);"]),
            RuleExample(files: [ExampleFile("001_a.sql", "CREATE TABLE a (id int);"), ExampleFile("002_b.sql", "CREATE TABLE b (id int);")]),
            RuleExample(files: [ExampleFile("V1__init.sql", "CREATE TABLE a (id int);"), ExampleFile("V2__more.sql", "CREATE TABLE b (id int);"),
                                ExampleFile("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT id FROM a;")],
                        applied: ["V1__init.sql": "CREATE TABLE a (id int);", "R__views.sql": "CREATE OR REPLACE VIEW v AS SELECT id FROM a;"]),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let history = context.settings.history else { return [] }
        // Flyway's repeatable migrations have no version: they run after the versioned ones whenever they change.
        let files = context.migrations.files.filter { $0.direction != .repeatable }
        guard let newestApplied = files.lastIndex(where: { !history.added.contains($0.path) }) else { return [] }
        return files[..<newestApplied].filter { history.added.contains($0.path) }.map { file in
            return finding("\(file.version) is new but sorts before \(files[newestApplied].version) (\(files[newestApplied].path)), which \(history.reference) already has",
                           at: file.firstStatementLocation)
        }
    }
}
