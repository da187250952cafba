/// A cache key prefix that does not follow the manifest's naming convention.
public struct CachePrefixConvention: Rule {
    public let descriptor = RuleDescriptor(
        id: "cache-prefix-convention",
        category: .ownership,
        defaultSeverity: .warning,
        summary: "A cache key prefix does not follow the naming convention (default: the service's name, ending with `:`).",
        rationale: """
            When every prefix starts with its service's name, anyone reading a key in the shared Redis (an alert, \
            `redis-cli --scan`, a memory report) knows whose it is, and two services cannot pick colliding prefixes \
            by accident. A prefix that ends with a separator cannot be the start of another service's prefix.
            """,
        remedy: """
            Rename the prefix to follow the convention (`billing:`, `billing:invoices:`), or set the convention \
            that your services follow: `cache: {prefix_pattern: "{service}*:"}` at the top of ownership.yml \
            (`{service}` is the service's name, `*` any text).
            """,
        triggering: [
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:", ↓"invoice:"]}}
                """),
            RuleExample("SELECT 1;", manifest: """
                version: 1
                cache: {prefix_pattern: "app:{service}:*"}
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: [↓"billing:"]}}
                """),
        ],
        nonTriggering: [
            RuleExample("SELECT 1;", manifest: """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:", "billing:jobs:"]}}
                """),
            RuleExample("SELECT 1;", manifest: """
                version: 1
                cache: {prefix_pattern: "app:{service}:*"}
                services:
                  billing: {owners: ["@acme/billing"], cache: {prefixes: ["app:billing:"]}}
                """),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let manifest = context.manifest else { return [] }
        let pattern = manifest.cachePrefixPattern.text
        return manifest.services.flatMap { service in
            let expected = pattern.replacingAll("{service}", with: service.name)
            return service.cachePrefixes.filter { !Glob.matches(expected, $0.text) }.map { prefix in
                finding("cache prefix `\(prefix.text)` of `\(service.name)` does not follow the convention `\(pattern)` (`\(expected)`)",
                        help: "rename it to match `\(expected)`, or set `cache: {prefix_pattern: …}` to the convention your services follow",
                        at: FileLocation(path: manifest.path, line: prefix.line, column: prefix.column, length: prefix.text.count),
                        services: [service.name], objects: [FindingObject(kind: .cachePrefix, name: prefix.text)])
            }
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation: the core stays free of it here).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstByteRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
