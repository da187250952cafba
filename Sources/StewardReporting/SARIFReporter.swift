import Foundation
import StewardCore

/// `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. Every rule is described in
/// `tool.driver.rules`; each result points at a file relative to the repository root
/// (`%SRCROOT%`), with a region counted in Unicode code points, a fingerprint that does not
/// move with line numbers, and the related locations (the referenced table's `CREATE`…).
/// Allowed findings (`--show-allowed`) carry a suppression with its justification.
public struct SARIFReporter: Reporter {
    public init() {}

    public func write(_ report: CheckReport, to emit: (String) -> Void) {
        let rules = Self.ruleDescriptors()
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let results = zip(report.findings, report.findingFingerprints).map { finding, fingerprint in
            result(finding, fingerprint: fingerprint, ruleIndex: ruleIndex[finding.ruleID], report: report)
        }
        let rootURI = URL(fileURLWithPath: report.paths.root, isDirectory: true).absoluteString
        let log = Log(runs: [Run(
            tool: Tool(driver: Driver(rules: rules)),
            originalUriBaseIds: [Self.rootBase: ArtifactLocation(uri: rootURI, uriBaseId: nil)])])
        JSONOutput.stream(log, elements: results, snakeCase: false, to: emit)
    }

    /// The base every artifact URI is relative to: the repository root.
    static let rootBase = "%SRCROOT%"

    func result(_ finding: Finding, fingerprint: String, ruleIndex: Int?, report: CheckReport) -> Result {
        var text = finding.message
        if let help = finding.help { text += "\nhelp: " + help }
        var properties = ResultProperties(category: RuleRegistry.category(of: finding.ruleID)?.rawValue, services: finding.services,
                                          owners: report.owners(of: finding.services), objects: finding.objects)
        if finding.services.isEmpty { properties.services = nil }
        if properties.owners?.isEmpty == true { properties.owners = nil }
        if finding.objects.isEmpty { properties.objects = nil }
        return Result(
            ruleId: finding.ruleID, ruleIndex: ruleIndex, level: Self.level(finding.severity), message: Message(text: text),
            // Code scanning needs a location on every result: a finding about the whole run points
            // at the manifest (or the migrations folder's first file).
            locations: (finding.location ?? fallbackLocation(report)).map { [Location(physicalLocation: physical($0, report))] } ?? [],
            partialFingerprints: ["stewardFindingHash/v1": fingerprint],
            relatedLocations: finding.related.isEmpty ? nil : finding.related.enumerated().map { index, related in
                Location(id: index + 1, physicalLocation: physical(related.location, report), message: Message(text: related.message))
            },
            suppressions: finding.allowance.map { allowance in
                [Suppression(kind: allowance.source == .suppressionComment ? "inSource" : "external", justification: allowance.description)]
            },
            properties: properties)
    }

    func fallbackLocation(_ report: CheckReport) -> FileLocation? {
        let path = report.analysis.manifest?.path ?? report.analysis.migrations.files.first?.path
        return path.map { FileLocation(path: $0, line: 1, column: 1) }
    }

    func physical(_ location: FileLocation, _ report: CheckReport) -> PhysicalLocation {
        let path = report.paths.relative(location.path)
        let uri = path.hasPrefix("/") ? URL(fileURLWithPath: path).absoluteString
            : path.addingPercentEncoding(withAllowedCharacters: Self.uriPathCharacters) ?? path
        return PhysicalLocation(
            artifactLocation: ArtifactLocation(uri: uri, uriBaseId: path.hasPrefix("/") ? nil : Self.rootBase),
            // SARIF's endColumn is the column after the last character of the span.
            region: Region(startLine: location.line, startColumn: location.column, endLine: location.line,
                           endColumn: location.column + location.length))
    }

    /// Unreserved characters and `/`: everything else in a path is percent-encoded.
    static let uriPathCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// Every rule and diagnostic, in `steward rules` order.
    static func ruleDescriptors() -> [ReportingDescriptor] {
        let rules = RuleRegistry.all.map(\.descriptor).map { descriptor in
            ReportingDescriptor(
                id: descriptor.id, name: pascalCase(descriptor.id),
                shortDescription: Message(text: descriptor.summary),
                fullDescription: Message(text: descriptor.rationale),
                help: MultiformatMessage(text: descriptor.remedy + (descriptor.lock.map { "\nLock: \($0)" } ?? ""),
                                         markdown: "**Why it matters.** \(descriptor.rationale)\n\n**What to do instead.** \(descriptor.remedy)"
                                            + (descriptor.lock.map { "\n\n**Lock.** \($0)" } ?? "")),
                helpUri: "\(StewardVersion.rulesDocumentation)#\(descriptor.id)",
                defaultConfiguration: Configuration(level: level(descriptor.defaultSeverity), enabled: descriptor.enabledByDefault),
                properties: RuleProperties(tags: [descriptor.category.rawValue], category: descriptor.category.rawValue))
        }
        let diagnostics = RuleRegistry.diagnostics.map { diagnostic in
            ReportingDescriptor(
                id: diagnostic.id, name: pascalCase(diagnostic.id),
                shortDescription: Message(text: diagnostic.summary), fullDescription: Message(text: diagnostic.summary),
                help: MultiformatMessage(text: diagnostic.summary, markdown: diagnostic.summary),
                helpUri: StewardVersion.rulesDocumentation,
                defaultConfiguration: Configuration(level: level(diagnostic.severity), enabled: true),
                properties: RuleProperties(tags: ["input"], category: "input"))
        }
        return rules + diagnostics
    }

    /// `cross-service-foreign-key` → `CrossServiceForeignKey` (SARIF's `name`).
    static func pascalCase(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    // MARK: SARIF 2.1.0 objects (only what Steward fills; names as the specification spells them)

    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        var tool: Tool
        var originalUriBaseIds: [String: ArtifactLocation]
        /// Steward counts columns in Unicode code points (an editor's characters), not UTF-16 units.
        var columnKind = "unicodeCodePoints"
        /// The results, streamed in by `JSONOutput.stream`.
        var results = JSONOutput.ArrayPlaceholder()
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name = "steward"
        var version = StewardVersion.current
        var semanticVersion = StewardVersion.current
        var informationUri = StewardVersion.rulesDocumentation
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: MultiformatMessage
        var helpUri: String
        var defaultConfiguration: Configuration
        var properties: RuleProperties
    }

    struct Configuration: Encodable {
        var level: String
        var enabled: Bool
    }

    struct RuleProperties: Encodable {
        var tags: [String]
        var category: String
    }

    struct Message: Encodable, Sendable { var text: String }

    struct MultiformatMessage: Encodable {
        var text: String
        var markdown: String
    }

    struct Result: Encodable, Sendable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
        var relatedLocations: [Location]?
        var suppressions: [Suppression]?
        var properties: ResultProperties
    }

    struct ResultProperties: Encodable, Sendable {
        var category: String?
        var services: [String]?
        var owners: [String]?
        var objects: [FindingObject]?
    }

    struct Suppression: Encodable, Sendable {
        var kind: String
        var justification: String
    }

    struct Location: Encodable, Sendable {
        var id: Int?
        var physicalLocation: PhysicalLocation
        var message: Message?
    }

    struct PhysicalLocation: Encodable, Sendable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable, Sendable {
        var uri: String
        var uriBaseId: String?
    }

    struct Region: Encodable, Sendable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int
    }
}
