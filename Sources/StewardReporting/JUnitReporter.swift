import StewardCore

/// `--format junit`: JUnit XML for CI systems that show test results (GitLab, Jenkins, Azure).
/// One test case per migration file (and per other file a finding points into: the manifest,
/// a query file), in report order. Each finding that fails the run (at `--fail-on` or worse,
/// not allowed) is a `<failure>` of its file's case; the others are listed in the case's
/// `<system-out>`, so a run that exits 0 is a green suite and nothing is left out.
public struct JUnitReporter: Reporter {
    public init() {}

    public func write(_ report: CheckReport, to emit: (String) -> Void) {
        let paths = report.paths
        var order: [String] = []
        var known = Set<String>()
        for file in report.analysis.migrations.files where known.insert(paths.relative(file.path)).inserted { order.append(paths.relative(file.path)) }
        var byFile: [String: [Finding]] = [:]
        for finding in report.findings {
            let path = finding.location.map { paths.relative($0.path) } ?? "steward"
            if known.insert(path).inserted { order.append(path) }
            byFile[path, default: []].append(finding)
        }
        let failures = report.findings.count(where: report.fails)
        emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        emit("<testsuites name=\"steward\" tests=\"\(order.count)\" failures=\"\(failures)\" errors=\"0\">\n")
        emit("  <testsuite name=\"steward check\" tests=\"\(order.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n")
        for path in order {
            let findings = byFile[path] ?? []
            emit("    <testcase classname=\"steward.migrations\" name=\"\(Self.escape(path))\"")
            guard !findings.isEmpty else {
                emit("/>\n")
                continue
            }
            emit(">\n")
            var other: [String] = []
            for finding in findings {
                let line = Self.describe(finding, paths: paths)
                if report.fails(finding) {
                    emit("      <failure type=\"\(Self.escape(finding.ruleID))\" message=\"\(Self.escape(finding.message))\">\(Self.escape(line))</failure>\n")
                } else {
                    other.append(line)
                }
            }
            if !other.isEmpty { emit("      <system-out>\(Self.escape(other.joined(separator: "\n")))</system-out>\n") }
            emit("    </testcase>\n")
        }
        emit("  </testsuite>\n</testsuites>\n")
    }

    /// `path:line:col: error[rule]: message`, then `allowed by` and `help:` lines.
    static func describe(_ finding: Finding, paths: RepositoryPaths) -> String {
        let severity = finding.isAllowed ? "allowed" : finding.severity == .info ? "note" : finding.severity.rawValue
        var text = finding.location.map { "\(paths.relative($0.path)):\($0.line):\($0.column): " } ?? ""
        text += "\(severity)[\(finding.ruleID)]: \(finding.message)"
        if let allowedBy = finding.allowedBy { text += "\nallowed by \(allowedBy)" }
        if let help = finding.help { text += "\nhelp: \(help)" }
        return text
    }

    /// XML text and attribute values: the five predefined entities, line breaks kept as
    /// character references inside attributes, and characters XML 1.0 forbids (C0 controls
    /// other than tab and line breaks) written as `\u{1B}`-style text.
    static func escape(_ text: String) -> String {
        // On UTF-8 bytes: every finding's message and lines go through here (55k at 100k statements).
        var text = text
        return text.withUTF8 { bytes in
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + bytes.count / 8)
            func append(_ string: StaticString) { string.withUTF8Buffer { result.append(contentsOf: $0) } }
            func appendEscaped(_ value: UInt32) { result.append(contentsOf: Array("\\u{\(String(value, radix: 16, uppercase: true))}".utf8)) }
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"): append("&amp;")
                case UInt8(ascii: "<"): append("&lt;")
                case UInt8(ascii: ">"): append("&gt;")
                case UInt8(ascii: "\""): append("&quot;")
                case UInt8(ascii: "'"): append("&apos;")
                case 0x0A: append("&#10;")
                case 0x0D: append("&#13;")
                case 0x09: append("&#9;")
                case ..<0x20, 0x7F: appendEscaped(UInt32(byte))
                // U+0080…U+009F: C2 80…C2 9F.
                case 0xC2 where index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]):
                    appendEscaped(UInt32(bytes[index + 1]))
                    index += 2
                    continue
                // U+FFFE, U+FFFF: EF BF BE, EF BF BF.
                case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF):
                    appendEscaped(bytes[index + 2] == 0xBE ? 0xFFFE : 0xFFFF)
                    index += 3
                    continue
                default: result.append(byte)
                }
                index += 1
            }
            return String(decoding: result, as: UTF8.self)
        }
    }
}
