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

    public func write(_ report: CheckReport, to emit: (String) -> Void) {
        for finding in report.findings { emit(command(finding, report) + "\n") }
        emit("steward: \(plural(report.analysis.migrations.files.count, "migration")), \(report.verdict)\n")
    }

    func command(_ finding: Finding, _ report: CheckReport) -> String {
        let level: String
        switch finding.severity {
        case _ where finding.isAllowed: level = "notice"
        case .error: level = "error"
        case .warning: level = "warning"
        case .info: level = "notice"
        }
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

    static func escapeData(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func escapeProperty(_ text: String) -> String {
        var result = ""
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": result += "%3A"
            case ",": result += "%2C"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
