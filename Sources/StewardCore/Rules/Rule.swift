import StewardSQL

public enum RuleCategory: String, Codable, Sendable, CaseIterable {
    case ownership, migrations
}

/// An example that documents a rule and is run as a test. In `sql`, `↓` marks the exact
/// position the finding must point at (triggering examples have at least one).
public struct RuleExample: Sendable {
    public var sql: String
    /// Manifest YAML for the example; rules about ownership need one.
    public var manifest: String?

    public init(_ sql: String, manifest: String? = nil) {
        self.sql = sql
        self.manifest = manifest
    }
}

/// Everything a rule declares about itself; `steward rules` and `steward explain` print it.
public struct RuleDescriptor: Sendable {
    public var id: String
    public var category: RuleCategory
    public var defaultSeverity: Severity
    public var summary: String
    /// Why it matters in a database shared by several services.
    public var rationale: String
    /// The safe alternative.
    public var remedy: String
    public var triggering: [RuleExample]
    public var nonTriggering: [RuleExample]
}

/// What a rule may look at: the replayed model, the manifest, the migrations. Rules never
/// read files, the environment or the clock.
public struct RuleContext: Sendable {
    public var model: SchemaModel
    public var manifest: OwnershipManifest
    public var migrations: MigrationSet
}

public protocol Rule: Sendable {
    var descriptor: RuleDescriptor { get }
    func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    func finding(_ message: String, help: String? = nil, at location: FileLocation?, services: [String] = [],
                 allowedBy: String? = nil) -> Finding {
        Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message, help: help ?? descriptor.remedy,
                location: location, services: services, allowedBy: allowedBy)
    }
}

/// Every rule Steward runs, in documentation order.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        CrossServiceForeignKey(),
        UnownedObject(),
        StaleOwnershipEntry(),
        CachePrefixOverlap(),
    ]

    public static func rule(id: String) -> (any Rule)? { all.first { $0.descriptor.id == id } }

    /// Findings Steward reports outside of rules (input and parse problems).
    public static var diagnostics: [(id: String, severity: Severity, summary: String)] {
        Diagnostic.allCases.map { ($0.id, $0.defaultSeverity, $0.summary) }
    }
}
