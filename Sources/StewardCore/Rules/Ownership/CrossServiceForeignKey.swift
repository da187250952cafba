import StewardSQL

/// A foreign key from one service's table to another service's table.
public struct CrossServiceForeignKey: Rule {
    public let descriptor = RuleDescriptor(
        id: "cross-service-foreign-key",
        category: .ownership,
        defaultSeverity: .error,
        summary: "A foreign key crosses a service boundary.",
        rationale: """
            A foreign key from service A's table to service B's table ties the two services together at the \
            database level: B can no longer drop, rename, partition or move its table (or split the database) \
            without A's migration, and ON DELETE actions let B's writes change A's rows. It is the coupling that \
            makes a shared database impossible to decompose later.
            """,
        remedy: """
            Keep the id without a foreign key and let the owning service enforce existence (or publish events); \
            if the dependency is intended, document it in ownership.yml under `boundaries.allow` with a reason.
            """,
        triggering: [
            RuleExample("""
                CREATE TABLE users (id bigint PRIMARY KEY);
                CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint ↓REFERENCES users (id));
                """, manifest: twoServices),
            RuleExample("""
                CREATE TABLE users (id bigint PRIMARY KEY);
                CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint);
                ALTER TABLE invoices ADD CONSTRAINT invoices_user_fk FOREIGN KEY (user_id) ↓REFERENCES users (id);
                """, manifest: twoServices),
        ],
        nonTriggering: [
            RuleExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                CREATE TABLE invoice_lines (id bigint PRIMARY KEY, invoice_id bigint REFERENCES invoices (id));
                """, manifest: twoServices),
            RuleExample("""
                CREATE TABLE users (id bigint PRIMARY KEY);
                CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
                """, manifest: twoServices + """
                boundaries:
                  allow:
                    - {from: billing, to: identity, objects: [users], reason: "invoices are per user"}
                """),
        ])

    static let twoServices = """
        version: 1
        services:
          identity: {owners: ["@acme/identity"], tables: [users]}
          billing: {owners: ["@acme/billing"], tables: [invoices, invoice_lines]}

        """

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        var findings: [Finding] = []
        // Unordered on purpose: findings are sorted once, by location, for the report.
        for table in context.model.tables.values {
            guard let owner = table.owner else { continue }
            for index in table.foreignKeyIndices where !table.constraints[index].inherited {
                let constraint = table.constraints[index]
                // Through the index: a subscript would copy the whole table out to read its owner.
                guard let target = constraint.references, let position = context.model.tables.index(forKey: target.table),
                      let targetOwner = context.model.tables.values[position].owner, targetOwner.service != owner.service else { continue }
                let allowance = manifest.allowance(from: owner.service, to: targetOwner.service, object: target.table)
                let columns = constraint.columns.joined(separator: ", ")
                let targetColumns = target.columns.joined(separator: ", ")
                var result = finding(
                    "foreign key \(constraint.name) on \(table.name.display)(\(columns)) references \(target.table.display)(\(targetColumns)): service `\(owner.service)` depends on a table owned by `\(targetOwner.service)`",
                    help: """
                        drop the foreign key and let `\(targetOwner.service)` own the integrity of \(target.table.display), or document it: \
                        boundaries.allow: {from: \(owner.service), to: \(targetOwner.service), objects: [\(target.table.display)], reason: "…"}
                        """,
                    at: (constraint.referencesOrigin ?? constraint.origin).fileLocation.with(length: "REFERENCES".count),
                    services: [owner.service, targetOwner.service],
                    allowance: allowance?.allowance(in: manifest),
                    objects: [.relation(table.name, kind: .constraint, constraint: constraint.name), .relation(target.table)],
                    related: context.model.tables[target.table].map { [RelatedLocation($0.origin.fileLocation, "\(target.table.display) is created here (owned by `\(targetOwner.service)`)")] } ?? [])
                // A foreign key onto a table its owner publishes is a documented contract: recorded, not an error.
                if manifest.isPublic(target.table, of: targetOwner.service) {
                    result.severity = .info
                    result.message += " (public in ownership.yml: a documented contract)"
                }
                findings.append(result)
            }
        }
        return findings
    }
}

extension ObjectName {
    /// `public.x` reads as `x`, as on the default search path.
    var display: String { schema == nil || schema == "public" ? name : "\(schema!).\(name)" }
}

extension FileLocation {
    func with(length: Int) -> FileLocation {
        var copy = self
        copy.length = max(1, length)
        return copy
    }
}
