import StewardSQL

/// `ADD CHECK` on an existing table without `NOT VALID`.
public struct AddCheckWithoutNotValid: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.addConstraint]
    public let descriptor = RuleDescriptor(
        id: "add-check-without-not-valid",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A CHECK constraint is added to an existing table and validated at once.",
        rationale: "ADD CHECK holds an ACCESS EXCLUSIVE lock while it scans every row: reads and writes of every service wait.",
        remedy: "Add it `NOT VALID`, then `VALIDATE CONSTRAINT` in a later statement (a SHARE UPDATE EXCLUSIVE lock: reads and writes continue).",
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint, stars int);", "ALTER TABLE codebases ADD ↓CONSTRAINT stars_positive CHECK (stars >= 0);"),
            RuleExample(given: "CREATE TABLE codebases (id bigint, stars int);", "ALTER TABLE codebases ADD ↓CHECK (stars < 1000000);"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE t (id int, n int);", "ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n >= 0) NOT VALID;"),
            RuleExample("CREATE TABLE t (id int, n int);\nALTER TABLE t ADD CONSTRAINT n_positive CHECK (n >= 0);"),
        ],
        lock: TableLock.accessExclusive.summary)

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .addConstraint(let name, .check, let notValid, _, _, _) = change.kind, !notValid, !context.isNew(change) else { return nil }
        return lockFinding(change, name.isEmpty ? "ADD CHECK" : "ADD CHECK \(name)", lock: .accessExclusive, effect: "while every existing row is checked", in: context)
    }
}
