import Foundation
import StewardCore
import StewardSQL

/// `steward check --format json`. The shape is versioned (`format_version`): within a version
/// fields are only ever added. Published as docs/check-report.schema.json and documented in
/// docs/json-format.md; a test validates the output against the schema.
public struct JSONReporter: Reporter {
    /// 2: paths relative to the repository root, `allowed_by` as data, fingerprints, objects,
    /// owners and related locations.
    public static let formatVersion = 2

    public init() {}

    struct Report: Encodable {
        var formatVersion = JSONReporter.formatVersion
        var tool = ToolInfo()
        var directory: String
        var layout: String
        var manifest: String?
        /// With `--since`: the ref, its merge base and the pending migration files.
        var since: Since?
        var summary: Summary
        var findings: [FindingRecord]
    }

    struct Since: Encodable {
        var reference: String
        var baseCommit: String
        var pending: [String]
    }

    struct ToolInfo: Encodable {
        var name = "steward"
        var version = StewardVersion.current
        var postgresParser = "libpg_query (PostgreSQL 15)"
    }

    struct Summary: Encodable {
        var files: Int
        var statements: Int
        var errors: Int
        var warnings: Int
        /// Info-level findings.
        var notes: Int
        var allowed: Int
    }

    struct LocationRecord: Encodable {
        var path: String
        var line: Int
        var column: Int
        /// Characters underlined, from `column`.
        var length: Int
    }

    struct RelatedRecord: Encodable {
        var location: LocationRecord
        var message: String
    }

    struct AllowanceRecord: Encodable {
        var source: String
        var path: String
        var line: Int
        var reason: String?
    }

    struct FindingRecord: Encodable {
        var rule: String
        /// ownership, breaking, locking, types, hygiene or queries; nil for input diagnostics.
        var category: String?
        var severity: String
        var message: String
        var help: String?
        var location: LocationRecord?
        var services: [String]
        var owners: [String]
        var objects: [FindingObject]
        var related: [RelatedRecord]
        var allowedBy: AllowanceRecord?
        var fingerprint: String
        /// Whether this finding makes the run exit 1 (with `--fail-on`).
        var fails: Bool
    }

    public func write(_ report: CheckReport, to emit: (String) -> Void) {
        let analysis = report.analysis
        let paths = report.paths
        func location(_ location: FileLocation) -> LocationRecord {
            LocationRecord(path: paths.relative(location.path), line: location.line, column: location.column, length: location.length)
        }
        let counts = report.counts
        let document = Report(
            directory: paths.relative(analysis.migrations.directory),
            layout: analysis.migrations.layout.rawValue,
            manifest: analysis.manifest.map { paths.relative($0.path) },
            since: analysis.history.map { Since(reference: $0.reference, baseCommit: $0.baseCommit, pending: $0.pending.map(paths.relative).sorted()) },
            summary: Summary(files: analysis.migrations.files.count, statements: analysis.model.statementCount,
                             errors: counts.errors, warnings: counts.warnings, notes: counts.notes, allowed: counts.allowed),
            findings: zip(analysis.findings, report.findingFingerprints).map { finding, fingerprint in
                FindingRecord(rule: finding.ruleID, category: RuleRegistry.category(of: finding.ruleID)?.rawValue,
                              severity: finding.severity.rawValue, message: finding.message, help: finding.help,
                              location: finding.location.map(location), services: finding.services,
                              owners: report.owners(of: finding.services), objects: finding.objects,
                              related: finding.related.map { RelatedRecord(location: location($0.location), message: $0.message) },
                              allowedBy: finding.allowance.map {
                                  AllowanceRecord(source: $0.source.rawValue, path: paths.relative($0.path), line: $0.line, reason: $0.reason)
                              },
                              fingerprint: fingerprint, fails: report.fails(finding))
            })
        emit(JSONOutput.encode(document))
    }
}

enum JSONOutput {
    /// Pretty, key-sorted JSON with snake_case keys (Steward's own formats), or with the keys
    /// as declared (formats defined by others, such as SARIF's camelCase).
    static func encode<Value: Encodable>(_ value: Value, snakeCase: Bool = true) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

public enum StewardVersion {
    public static let current = "0.1.0"
    /// Where the rules are documented (docs/rules.md, one heading per rule id): SARIF's
    /// `helpUri` and the links of the Markdown report point here.
    public static let rulesDocumentation = "https://github.com/steward-sql/steward/blob/main/docs/rules.md"
}
