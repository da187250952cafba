import StewardCore

/// `--format github`: GitHub Actions workflow commands, which the runner turns into
/// annotations on the pull request's diff:
///
///     ::error file=schema/0013.sql,line=5,col=77,endLine=5,endColumn=87,title=steward cross-service-foreign-key::message
///
/// Escaped as the runner unescapes them (actions/toolkit, `command.ts`): in the message `%`,
/// CR and LF; in property values also `:` and `,`. Allowed findings (`--show-allowed`) are
/// notices. The summary is a plain log line.
public struct GitHubReporter: Reporter {
    public init() {}

    /// GitHub shows 10 annotations of each level (error, warning, notice) per step and drops
    /// the rest without a word (actions/toolkit docs/problem-matchers.md, "Limitations").
    public static let annotationsPerLevel = 10

    public func write(_ report: CheckReport, to emit: (String) -> Void) {
        // Errors first, so that the annotations GitHub keeps are the ones that fail the check;
        // the findings past the limit are still in the log, as plain lines.
        var annotated: [String: Int] = [:]
        var unannotated = 0
        let findings = report.findings
        let ranks = findings.map(Self.rank)
        for position in findings.indices.sorted(by: { ranks[$0] < ranks[$1] }) {
            let finding = findings[position]
            let level = Self.level(finding)
            if annotated[level, default: 0] < Self.annotationsPerLevel {
                annotated[level, default: 0] += 1
                emit(command(finding, report) + "\n")
            } else {
                unannotated += 1
                emit(plainLine(finding, report) + "\n")
            }
        }
        if unannotated > 0 {
            emit("::notice title=steward::\(Self.escapeData("\(plural(unannotated, "finding")) more than GitHub annotates (\(Self.annotationsPerLevel) of each level per step) are listed in this log, in the SARIF upload and in the job summary"))\n")
        }
        emit("steward: \(plural(report.analysis.migrations.files.count, "migration")), \(report.verdict)\n")
    }

    static func level(_ finding: Finding) -> String {
        switch finding.severity {
        case _ where finding.isAllowed: "notice"
        case .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
    }

    /// Errors, then warnings, then notices; report order within each (a stable sort).
    private static func rank(_ finding: Finding) -> Int {
        switch level(finding) {
        case "error": 0
        case "warning": 1
        default: 2
        }
    }

    /// A finding past the annotation limit: `path:line:col: level[rule]: message`, not a command.
    func plainLine(_ finding: Finding, _ report: CheckReport) -> String {
        let place = finding.location.map { "\(report.paths.relative($0.path)):\($0.line):\($0.column): " } ?? ""
        // A line that starts with `::` is a workflow command (a file can be named so): these start
        // with `steward: `, on one line, control characters escaped.
        return "steward: " + (place + "\(Self.level(finding))[\(finding.ruleID)]: \(finding.message)").escapingControls()
            .replacingOccurrences(of: "\n", with: " ")
    }

    func command(_ finding: Finding, _ report: CheckReport) -> String {
        let level = Self.level(finding)
        var properties: [(String, String)] = []
        if let location = finding.location {
            properties += [("file", report.paths.relative(location.path)), ("line", "\(location.line)"), ("col", "\(location.column)"),
                           ("endLine", "\(location.line)"), ("endColumn", "\(location.column + location.length)")]
        }
        properties.append(("title", "steward \(finding.isAllowed ? "allowed " : "")\(finding.ruleID)"))
        var message = finding.message
        if let allowedBy = finding.allowedBy { message += "\nallowed by " + allowedBy }
        if let help = finding.help { message += "\nhelp: " + help }
        // Control characters (an ESC in a migration's name or text) never reach the log as such.
        return "::\(level) " + properties.map { "\($0)=\(Self.escapeProperty($1.escapingControls()))" }.joined(separator: ",") + "::"
            + Self.escapeData(message.escapingControls())
    }

    static func escapeData(_ text: String) -> String { escape(text, property: false) }

    static func escapeProperty(_ text: String) -> String { escape(text, property: true) }

    /// `%`, CR and LF, and in a property also `:` and `,`, as `%XX`; on UTF-8 bytes, because every
    /// finding goes through here and most need no change at all.
    private static func escape(_ text: String, property: Bool) -> String {
        @inline(__always) func special(_ byte: UInt8) -> Bool {
            byte == 0x25 || byte == 0x0D || byte == 0x0A || (property && (byte == 0x3A || byte == 0x2C))
        }
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.contains(where: special) else { return String(decoding: bytes, as: UTF8.self) }
            let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                if special(byte) {
                    result += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                } else {
                    result.append(byte)
                }
            }
            return String(decoding: result, as: UTF8.self)
        }
    }
}
