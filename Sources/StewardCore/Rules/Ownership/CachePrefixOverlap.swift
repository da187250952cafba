/// Two services whose cache key prefixes can produce the same key in the shared Redis.
public struct CachePrefixOverlap: Rule {
    public let descriptor = RuleDescriptor(
        id: "cache-prefix-overlap",
        category: .ownership,
        defaultSeverity: .error,
        summary: "Two services' cache key prefixes overlap in the shared cache.",
        rationale: """
            Services sharing one Redis keep apart only by key prefix. If one service's prefix is a prefix of \
            another's (`user` and `user:session:`), a key of one can be read, overwritten or evicted by the other.
            """,
        remedy: "Give each service a distinct prefix that ends with a separator, e.g. `billing:` and `identity:`.",
        triggering: [
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], cache: {prefixes: ["user"]}}
                  sessions: {owners: ["@acme/identity"], cache: {prefixes: [↓"user:session:"]}}
                """),
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:", "invoice:"]}}
                  notifier: {owners: ["@acme/notify"], cache: {prefixes: [↓"billing:"]}}
                """),
        ],
        nonTriggering: [
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  identity: {owners: ["@acme/identity"], cache: {prefixes: ["identity:"]}}
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:"]}}
                """),
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:", "billing-jobs:"]}}
                  identity: {owners: ["@acme/identity"], cache: {prefixes: ["identity:"]}}
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        let services = manifest.services
        var findings: [Finding] = []
        for (index, service) in services.enumerated() {
            for other in services[..<index] where other.name != service.name {
                for prefix in service.cachePrefixes {
                    for otherPrefix in other.cachePrefixes where prefix.text.hasPrefix(otherPrefix.text) || otherPrefix.text.hasPrefix(prefix.text) {
                        findings.append(finding(
                            "cache prefix `\(prefix.text)` of `\(service.name)` overlaps `\(otherPrefix.text)` of `\(other.name)`: their keys can collide",
                            at: FileLocation(path: manifest.path, line: prefix.line, column: prefix.column, length: prefix.text.count),
                            services: [service.name, other.name],
                            objects: [FindingObject(kind: .cachePrefix, name: prefix.text), FindingObject(kind: .cachePrefix, name: otherPrefix.text)]))
                    }
                }
            }
        }
        return findings
    }
}
