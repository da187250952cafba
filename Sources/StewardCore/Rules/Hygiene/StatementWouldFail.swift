import StewardSQL

/// A statement Postgres would reject against the state the earlier migrations leave.
public struct StatementWouldFail: Rule {
    public let descriptor = RuleDescriptor(
        id: "statement-would-fail",
        category: .hygiene,
        defaultSeverity: .error,
        summary: "A statement fails against the schema the earlier migrations leave.",
        rationale: """
            The replay knows every object before each statement: a drop that other objects depend on (without \
            CASCADE), an ALTER or DROP of a missing object (without IF EXISTS), a CREATE of an existing one (without \
            IF NOT EXISTS) fails on the real database and stops the deploy. Such statements do not enter the model, so \
            the other findings describe what Postgres would really have.
            """,
        remedy: "Fix the statement: add IF EXISTS / IF NOT EXISTS where the object may or may not be there, drop dependents first (or say CASCADE and own what it drops).",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);\nCREATE TABLE bookmarks (id bigint, codebase_id bigint REFERENCES codebases (id));",
                        "↓DROP TABLE codebases;"),
            RuleExample("CREATE TABLE t (id int);\n↓ALTER TABLE t DROP COLUMN missing;"),
            RuleExample("CREATE TABLE t (id int);\n↓CREATE TABLE t (id int);"),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE t (id int);\nCREATE TABLE IF NOT EXISTS t (id int);\nALTER TABLE t DROP COLUMN IF EXISTS missing;"),
            RuleExample(given: "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int REFERENCES p (id));", "DROP TABLE p CASCADE;"),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        // After a migration the replay cannot see (a goose .go file), a missing object may be its work.
        let gaps = context.model.gaps
        return context.model.issues.filter(\.wouldFail).map { issue in
            var result = finding(issue.message, at: issue.origin.fileLocation)
            guard issue.kind == .missingObject else { return result }
            // A missing object may be the work of something the replay cannot see: then the
            // statement may well succeed, and the finding says why it is not an error.
            if let opaque = issue.afterOpaqueStatement {
                result.severity = .warning
                result.help = "the statement at \(opaque.path):\(opaque.line) runs code the replay cannot follow (a function the migrations define, "
                    + "CREATE TABLE AS, or a DO block); if it creates this object the statement succeeds. " + descriptor.remedy
            } else if let gap = gaps.first {
                result.severity = .warning
                result.help = "\(gaps.count) migration\(gaps.count == 1 ? "" : "s") cannot be replayed (\(gap.path): \(gap.reason)); "
                    + "if one of them creates or changes this object the statement succeeds. " + descriptor.remedy
            }
            return result
        }
    }
}
