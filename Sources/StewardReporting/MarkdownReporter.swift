import StewardCore
import StewardSQL

/// `--format markdown`: a pull-request comment. One summary line, then the findings grouped
/// by the service they concern (the owner of the changed object first) and by migration, each
/// with its SQL line and a caret; long groups are collapsed in `<details>`. The first line is a
/// hidden marker (`<!-- steward:check -->`) so that a bot can find and update its comment in
/// place. GitHub refuses comments over 65,536 characters: the report stops before that and
/// says how many findings it left out.
public struct MarkdownReporter: Reporter {
    public static let marker = "<!-- steward:check -->"
    /// Under GitHub's limit for a comment body, with room for the closing lines.
    static let sizeLimit = 60_000
    /// Groups of up to this many findings are shown open; larger ones are collapsed.
    static let openGroupLimit = 10

    public init() {}

    public func write(_ report: CheckReport, to emit: (String) -> Void) {
        let analysis = report.analysis
        let counts = report.counts
        var size = 0
        func add(_ text: String) {
            size += text.utf8.count
            emit(text)
        }
        let icon = counts.errors > 0 ? "❌" : counts.warnings > 0 ? "⚠️" : "✅"
        add(Self.marker + "\n")
        add("### \(icon) Steward: \(report.verdict)\n\n")
        var scope = "\(plural(analysis.migrations.files.count, "migration")) (\(analysis.migrations.layout.rawValue)), "
            + plural(analysis.model.statementCount, "statement")
        if let manifest = analysis.manifest { scope += ", \(plural(manifest.services.count, "service")) in `\(report.paths.relative(manifest.path))`" }
        if let history = analysis.history {
            scope += "; \(history.pending.count) migration\(history.pending.count == 1 ? "" : "s") changed since `\(history.reference)` (\(history.baseCommit.prefix(12)))"
        }
        add(scope + ".\n")
        guard !report.findings.isEmpty else {
            add("\nNo findings.\n")
            return
        }

        // Who must approve, first: it is what a reviewer acts on.
        let approvals = report.findings.filter { $0.ruleID == MissingApproval.id }
        if !approvals.isEmpty {
            add("\n#### Required approvals\n\n")
            for finding in approvals {
                let mark = finding.isAllowed ? "✅" : finding.severity == .error ? "❌" : "⏳"
                add("- \(mark) \(Self.inline(finding.message))\n")
            }
        }

        // Service → file → findings, services by name (findings of no service last), files by path.
        var groups: [String: [String: [Int]]] = [:]
        for (index, finding) in report.findings.enumerated() where finding.ruleID != MissingApproval.id {
            let service = finding.services.first ?? ""
            groups[service, default: [:]][finding.location.map { report.paths.relative($0.path) } ?? "", default: []].append(index)
        }
        // Services with an error first, so that what blocks the merge is read first; then by name,
        // findings of no service last.
        let failing = Set(report.findings.filter(report.fails).map { $0.services.first ?? "" })
        let services = groups.keys.sorted {
            (failing.contains($0) ? 0 : 1, $0.isEmpty ? 1 : 0, $0) < (failing.contains($1) ? 0 : 1, $1.isEmpty ? 1 : 0, $1)
        }
        var shown = 0
        outer: for service in services {
            let files = groups[service]!
            let indices = files.values.joined()
            var heading = service.isEmpty ? "No service" : "Service `\(service)`"
            let owners = report.owners(of: service.isEmpty ? [] : [service])
            if !owners.isEmpty { heading += " (\(owners.joined(separator: ", ")))" }
            add("\n#### \(heading): \(Self.verdict(indices.map { report.findings[$0] }))\n")
            for path in files.keys.sorted() {
                let group = files[path]!
                let title = path.isEmpty ? "the whole run" : "<code>\(Self.escapeHTML(path))</code>"
                add("\n<details\(group.count <= Self.openGroupLimit ? " open" : "")><summary>\(title): \(Self.verdict(group.map { report.findings[$0] }))</summary>\n\n")
                for index in group {
                    let text = entry(report.findings[index], report)
                    if size + text.utf8.count > Self.sizeLimit {
                        add("\n</details>\n\n… and \(report.findings.count - shown) more findings, left out to keep this comment under GitHub's size limit: run `steward check` or see the annotations.\n")
                        break outer
                    }
                    add(text)
                    shown += 1
                }
                add("\n</details>\n")
            }
        }
    }

    func entry(_ finding: Finding, _ report: CheckReport) -> String {
        let label: String
        switch finding.severity {
        case _ where finding.isAllowed: label = "✅ **allowed**"
        case .error: label = "❌ **error**"
        case .warning: label = "⚠️ **warning**"
        case .info: label = "ℹ️ **note**"
        }
        var text = "- \(label) [`\(finding.ruleID)`](\(StewardVersion.rulesDocumentation)#\(finding.ruleID))"
        if let location = finding.location { text += " line \(location.line)" }
        text += ": " + Self.inline(finding.message) + "\n"
        if let location = finding.location, let source = report.analysis.sources[location.path] {
            let (line, caretColumn, caretLength) = TextReporter.excerpt(source.line(location.line), column: location.column, length: location.length)
            let gutter = "\(location.line) | "
            let code = gutter + line + "\n" + String(repeating: " ", count: gutter.count + caretColumn) + String(repeating: "^", count: caretLength)
            let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(code) + 1))
            text += "\n  \(fence)sql\n" + code.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n  \(fence)\n\n"
        }
        if let allowedBy = finding.allowedBy { text += "  allowed by " + Self.inline(allowedBy) + "\n" }
        if let help = finding.help { text += "  help: " + Self.inline(help) + "\n" }
        return text
    }

    static func verdict(_ findings: [Finding]) -> String {
        let (errors, warnings, notes, allowed) = CheckReport.counts(of: findings)
        var parts: [String] = []
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        if notes > 0 { parts.append("\(notes) note\(notes == 1 ? "" : "s")") }
        if allowed > 0 { parts.append("\(allowed) allowed") }
        return parts.joined(separator: ", ")
    }

    /// A message as Markdown text on one line: its `code spans` kept, everything else escaped
    /// so that names with `_`, `*` or `<` print as written and no HTML gets in.
    static func inline(_ text: String) -> String {
        let plain = text.escapingControls().replacingTabs().split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ")
        let segments = plain.split(separator: "`", omittingEmptySubsequences: false)
        // An odd number of backticks: no reliable code spans, escape everything.
        guard segments.count % 2 == 1 else { return escapeMarkdown(Substring(plain)) }
        return segments.enumerated().map { index, segment in
            index % 2 == 1 ? "`" + segment + "`" : escapeMarkdown(segment)
        }.joined()
    }

    static func escapeMarkdown(_ text: Substring) -> String {
        var result = ""
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\\", "*", "_", "[", "]", "`", "#", "|", "~": result += "\\" + String(character)
            default: result.append(character)
            }
        }
        return result
    }

    static func escapeHTML(_ text: String) -> String {
        var result = ""
        for character in text.escapingControls() {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
