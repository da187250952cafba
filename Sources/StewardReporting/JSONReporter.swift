import Foundation
import StewardCore
import StewardSQL

/// `steward check --format json`. The shape is versioned (`format_version`); fields are
/// only ever added within a version. Documented in docs/json-format.md.
public struct JSONReporter: Sendable {
    public static let formatVersion = 1

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

    struct FindingRecord: Encodable {
        var rule: String
        /// ownership, breaking, locking, types or hygiene; nil for input diagnostics (syntax errors…).
        var category: String?
        var severity: String
        var message: String
        var help: String?
        var location: FileLocation?
        var services: [String]
        var allowedBy: String?
    }

    public func render(_ analysis: Analysis) -> String {
        let report = Report(
            directory: analysis.migrations.directory,
            layout: analysis.migrations.layout.rawValue,
            manifest: analysis.manifest?.path,
            since: analysis.history.map { Since(reference: $0.reference, baseCommit: $0.baseCommit, pending: $0.pending.sorted()) },
            summary: Summary(files: analysis.migrations.files.count, statements: analysis.model.statementCount,
                             errors: analysis.errorCount, warnings: analysis.warningCount, notes: analysis.infoCount,
                             allowed: analysis.findings.filter { $0.allowedBy != nil }.count),
            findings: analysis.findings.map {
                FindingRecord(rule: $0.ruleID, category: RuleRegistry.category(of: $0.ruleID)?.rawValue, severity: $0.severity.rawValue,
                              message: $0.message, help: $0.help,
                              location: $0.location, services: $0.services, allowedBy: $0.allowedBy)
            })
        return JSONOutput.encode(report)
    }
}

enum JSONOutput {
    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

public enum StewardVersion {
    public static let current = "0.1.0"
}
