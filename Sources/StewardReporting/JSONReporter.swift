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
        /// The findings, streamed in by `JSONOutput.stream`.
        var findings = JSONOutput.ArrayPlaceholder()
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

    struct FindingRecord: Encodable, Sendable {
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
                             errors: counts.errors, warnings: counts.warnings, notes: counts.notes, allowed: counts.allowed))
        let findings = zip(analysis.findings, report.findingFingerprints).map { finding, fingerprint in
                FindingRecord(rule: finding.ruleID, category: RuleRegistry.category(of: finding.ruleID)?.rawValue,
                              severity: finding.severity.rawValue, message: finding.message, help: finding.help,
                              location: finding.location.map(location), services: finding.services,
                              owners: report.owners(of: finding.services), objects: finding.objects,
                              related: finding.related.map { RelatedRecord(location: location($0.location), message: $0.message) },
                              allowedBy: finding.allowance.map {
                                  AllowanceRecord(source: $0.source.rawValue, path: paths.relative($0.path), line: $0.line, reason: $0.reason)
                              },
                              fingerprint: fingerprint, fails: report.fails(finding))
            }
        JSONOutput.stream(document, elements: findings, to: emit)
    }
}

enum JSONOutput {
    /// Pretty, key-sorted JSON with snake_case keys (Steward's own formats), or with the keys
    /// as declared (formats defined by others, such as SARIF's camelCase).
    static func encode<Value: Encodable>(_ value: Value, snakeCase: Bool = true) -> String {
        guard let data = try? encoder(snakeCase: snakeCase).encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func encoder(snakeCase: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return encoder
    }

    /// Where `stream` splices the array in: a string no encoded value can contain (a NUL
    /// character is always escaped).
    struct ArrayPlaceholder: Encodable {
        static let marker = "\u{0}steward-array\u{0}"
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(Self.marker)
        }
    }

    /// `document` (with one `ArrayPlaceholder`) and `elements` in its place, byte for byte as
    /// encoding the whole would give, but emitted in pieces: the elements are encoded on all
    /// cores a batch at a time, and the whole document is never held in memory (a JSON or SARIF
    /// report of 55,000 findings took 3 to 4 seconds and 450 to 600 MB as one value).
    static func stream<Document: Encodable, Element: Encodable & Sendable>(
        _ document: Document, elements: [Element], snakeCase: Bool = true, to emit: (String) -> Void
    ) {
        let head = encode(document, snakeCase: snakeCase)
        let quoted = "\"\\u0000steward-array\\u0000\""
        guard let marker = head.range(of: quoted) else {
            emit(head)
            return
        }
        // The elements sit one level deeper than the key that holds them.
        let lineStart = head[..<marker.lowerBound].lastIndex(of: "\n").map { head.index(after: $0) } ?? head.startIndex
        let indent = String(head[lineStart...].prefix { $0 == " " }) + "  "
        emit(String(head[..<marker.lowerBound]) + "[\n")
        if elements.isEmpty { emit("\n") }
        let batch = 1024
        for start in stride(from: 0, to: elements.count, by: batch) {
            let slice = Array(elements[start..<min(start + batch, elements.count)])
            let indentBytes = Array(indent.utf8)
            let encoded = slice.concurrentMap { element -> String in
                let data = (try? encoder(snakeCase: snakeCase).encode(element)) ?? Data("{}".utf8)
                // Indented a level, except the empty line the encoder puts inside an empty array.
                var bytes: [UInt8] = []
                bytes.reserveCapacity(data.count + data.count / 4)
                var lineStart = true
                for byte in data {
                    if lineStart && byte != UInt8(ascii: "\n") { bytes += indentBytes }
                    bytes.append(byte)
                    lineStart = byte == UInt8(ascii: "\n")
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            emit(encoded.joined(separator: ",\n") + (start + batch < elements.count ? ",\n" : "\n"))
        }
        emit(String(indent.dropLast(2)) + "]" + String(head[marker.upperBound...]))
    }
}

public enum StewardVersion {
    public static let current = "0.1.0"
    /// Where the rules are documented (docs/rules.md, one heading per rule id): SARIF's
    /// `helpUri` and the links of the Markdown report point here.
    public static let rulesDocumentation = "https://github.com/steward-sql/steward/blob/main/docs/rules.md"
}
