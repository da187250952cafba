import StewardSQL

/// A manifest entry that names a table no migration creates.
public struct StaleOwnershipEntry: Rule {
    public let descriptor = RuleDescriptor(
        id: "stale-ownership-entry",
        category: .ownership,
        defaultSeverity: .warning,
        summary: "ownership.yml claims a table that the migrations do not create.",
        rationale: """
            A claim on a table that does not exist is usually a typo or a table that was renamed or dropped: \
            the real table is then unowned, or the manifest documents a boundary that is no longer there.
            """,
        remedy: "Fix the name in ownership.yml, or remove the entry if the table was dropped.",
        triggering: [
            RuleExample("CREATE TABLE users (id bigint PRIMARY KEY);", manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users, ↓user]}
                """),
            RuleExample(files: [ExampleFile("001_init.sql", "CREATE TABLE codebases (id bigint PRIMARY KEY);"),
                                ExampleFile("002_rename.sql", "ALTER TABLE codebases RENAME TO repositories;")], manifest: """
                version: 1
                services:
                  analyzer: {owners: ["@acme/analyzer"], tables: [↓codebases]}
                """),
        ],
        nonTriggering: [
            RuleExample("CREATE TABLE users (id bigint PRIMARY KEY);", manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], tables: [users, "user_*"]}
                """),
            RuleExample("CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id bigint);", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], tables: [billing.invoices], schemas: [billing]}
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        var findings: [Finding] = []
        // Exact entries only (globs may legitimately match nothing yet): look names up by name.
        var relationsByName: [String: [ObjectName]] = [:]
        for name in context.model.tables.keys { relationsByName[name.name, default: []].append(name) }
        for name in context.model.views.keys { relationsByName[name.name, default: []].append(name) }
        var everCreatedByName: [String: [ObjectName]] = [:]
        for name in context.model.everCreatedTables { everCreatedByName[name.name, default: []].append(name) }
        for service in manifest.services {
            for pattern in service.tables where !pattern.isGlob {
                guard !(relationsByName[pattern.name] ?? []).contains(where: pattern.matches) else { continue }
                let dropped = (everCreatedByName[pattern.name] ?? []).contains(where: pattern.matches)
                let location = FileLocation(path: manifest.path, line: pattern.line, column: pattern.column, length: pattern.text.count)
                if let (current, rename) = renamed(pattern, in: context.model) {
                    findings.append(finding(
                        "service `\(service.name)` claims table `\(pattern.text)`, renamed to \(current.display) at \(rename.path):\(rename.line); update ownership.yml",
                        help: "replace `\(pattern.text)` with `\(current.display)` in ownership.yml (ownership follows the rename until then)",
                        at: location, services: [service.name],
                        objects: [FindingObject(kind: .manifestEntry, name: "\(service.name): \(pattern.text)")],
                        related: [RelatedLocation(rename.fileLocation, "\(pattern.text) is renamed to \(current.display) here")]))
                    continue
                }
                findings.append(finding(
                    dropped ? "service `\(service.name)` claims table `\(pattern.text)`, which a migration has since dropped or renamed"
                        : "service `\(service.name)` claims table `\(pattern.text)`, which no migration creates",
                    at: location, services: [service.name],
                    objects: [FindingObject(kind: .manifestEntry, name: "\(service.name): \(pattern.text)")]))
            }
        }
        return findings
    }

    /// The table's current name and where it was renamed, when a migration renamed `pattern`'s table.
    private func renamed(_ pattern: TablePattern, in model: SchemaModel) -> (ObjectName, Origin)? {
        for (current, history) in model.formerNames where model.tables[current] != nil {
            if let entry = history.first(where: { pattern.matches($0.name) }) { return (current, history.last?.renamedAt ?? entry.renamedAt) }
        }
        return nil
    }
}
