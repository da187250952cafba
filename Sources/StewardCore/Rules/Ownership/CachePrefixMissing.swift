/// A service that declares it uses the shared cache but names no key prefix.
public struct CachePrefixMissing: Rule {
    public let descriptor = RuleDescriptor(
        id: "cache-prefix-missing",
        category: .ownership,
        defaultSeverity: .warning,
        summary: "A service uses the shared cache without a key prefix.",
        rationale: """
            In a shared Redis the key prefix is the only boundary between services: without one, nothing tells \
            this service's keys from another's, `SCAN`-based cleanup of one service can delete another's keys, and \
            memory cannot be attributed to its owner.
            """,
        remedy: "Declare the prefix every key of the service starts with: `cache: {prefixes: [\"billing:\"]}`.",
        triggering: [
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], ↓cache: {prefixes: []}}
                """),
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:"]}}
                  notifier:
                    owners: ["@acme/notify"]
                    ↓cache:
                """),
        ],
        nonTriggering: [
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:"]}}
                """),
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"]}
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        return manifest.services.compactMap { service in
            guard let declaration = service.cacheDeclaration, service.cachePrefixes.isEmpty else { return nil }
            return finding("service `\(service.name)` uses the shared cache but declares no key prefix: its keys cannot be told from other services'",
                           help: "declare the prefix its keys start with, e.g. `cache: {prefixes: [\"\(service.name):\"]}`",
                           at: FileLocation(path: manifest.path, line: declaration.line, column: declaration.column, length: declaration.text.count),
                           services: [service.name], objects: [FindingObject(kind: .cachePrefix, name: service.name)])
        }
    }
}
