import StewardSQL

/// `ADD FOREIGN KEY` on an existing table without `NOT VALID`.
public struct AddForeignKeyWithoutNotValid: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.addConstraint]
    public let descriptor = RuleDescriptor(
        id: "add-foreign-key-without-not-valid",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A foreign key is added to an existing table and validated at once.",
        rationale: """
            Adding the key takes SHARE ROW EXCLUSIVE locks on both tables and scans every existing row while holding \
            them: writes to both tables (often two services' tables) wait for the whole scan.
            """,
        remedy: """
            Add it `NOT VALID` (new rows are checked at once, no scan), then `VALIDATE CONSTRAINT` in a later \
            statement: validation takes only a SHARE UPDATE EXCLUSIVE lock.
            """,
        triggering: [
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);\nCREATE TABLE analyses (id bigint, codebase_id bigint);",
                        "ALTER TABLE analyses ADD ↓CONSTRAINT analyses_codebase_fk FOREIGN KEY (codebase_id) REFERENCES codebases (id);"),
            RuleExample(given: "CREATE TABLE codebases (id bigint PRIMARY KEY);\nCREATE TABLE analyses (id bigint);",
                        "ALTER TABLE analyses ADD COLUMN codebase_id bigint ↓REFERENCES codebases (id);"),
        ],
        nonTriggering: [
            RuleExample(given: "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int);",
                        "ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;\nALTER TABLE c VALIDATE CONSTRAINT c_p_fk;"),
            RuleExample(given: "CREATE TABLE p (id int PRIMARY KEY);", "CREATE TABLE c (id int, p_id int);\nALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);"),
        ],
        lock: TableLock.shareRowExclusive.summary + " (on both tables)")

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .addConstraint(let name, .foreignKey, let notValid, _, _, let references) = change.kind, !notValid, !context.isNew(change) else { return nil }
        let referenced = references.map { "on \($0.display)" } ?? "on the referenced table"
        return lockFinding(change, name.isEmpty ? "ADD FOREIGN KEY" : "ADD FOREIGN KEY \(name)", lock: .shareRowExclusive,
                           effect: "and \(referenced) while every existing row is checked", in: context)
    }
}
