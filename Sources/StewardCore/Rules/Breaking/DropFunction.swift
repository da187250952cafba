import StewardSQL

/// `DROP FUNCTION` / `DROP PROCEDURE` of a routine that existed before the migration.
public struct DropFunction: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.dropFunction]
    public let descriptor = RuleDescriptor(
        id: "drop-function",
        category: .breaking,
        defaultSeverity: .warning,
        summary: "A function or procedure that existed is dropped.",
        rationale: """
            Services that call it fail, and so do triggers, defaults and views that use it (with CASCADE the triggers \
            go too, silently changing what writes to their tables do).
            """,
        remedy: "Stop every caller first (triggers included), then drop the function in a later migration.",
        triggering: [
            RuleExample(given: "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
                        "↓DROP FUNCTION touch();"),
            RuleExample(given: """
                CREATE TABLE codebases (id bigint);
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE TRIGGER codebases_touch BEFORE UPDATE ON codebases FOR EACH ROW EXECUTE FUNCTION touch();
                """, "↓DROP FUNCTION touch() CASCADE;"),
        ],
        nonTriggering: [
            RuleExample("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP FUNCTION f();"),
            RuleExample("DROP FUNCTION IF EXISTS never_created();"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .dropFunction(let signature) = change.kind, !context.isNew(change) else { return nil }
        var message = "DROP FUNCTION \(signature): callers fail"
        if !change.dependents.isEmpty { message += "; CASCADE also drops \(change.dependents.map(\.description).joined(separator: ", "))" }
        return breakingFinding(change, message, in: context)
    }
}
