import Foundation
import StewardCore
import StewardSQL

/// Compiler-style findings: `path:line:col: error[rule]: message`, the source line, a caret
/// under the span, a `help:` line, and a one-line summary.
public struct TextReporter: Sendable {
    public var terminal: Terminal

    public init(terminal: Terminal) { self.terminal = terminal }

    /// The report in pieces (one per finding, then the summary), so that a report of thousands
    /// of findings can be written as it is produced instead of being held whole in memory.
    /// Findings are rendered on all cores, a bounded batch at a time.
    public func write(_ analysis: Analysis, to emit: (String) -> Void) {
        let batch = 1024
        for start in stride(from: 0, to: analysis.findings.count, by: batch) {
            let findings = Array(analysis.findings[start..<Swift.min(start + batch, analysis.findings.count)])
            for text in findings.concurrentMap({ render($0, sources: analysis.sources) + "\n" }) { emit(text) }
        }
        emit(summary(analysis))
    }

    public func render(_ finding: Finding, sources: [String: SourceText]) -> String {
        let label: String
        switch (finding.severity, finding.allowedBy != nil) {
        case (_, true): label = terminal.paint("allowed[\(finding.ruleID)]", .boldGreen)
        case (.error, _): label = terminal.paint("error[\(finding.ruleID)]", .boldRed)
        case (.warning, _): label = terminal.paint("warning[\(finding.ruleID)]", .boldYellow)
        case (.info, _): label = terminal.paint("note[\(finding.ruleID)]", .boldBlue)
        }
        var lines: [String] = []
        var pad = " "
        if let location = finding.location {
            lines.append("\(terminal.paint("\(location.path):\(location.line):\(location.column):", .bold)) \(label): \(terminal.paint(finding.message, .bold))")
            if let source = sources[location.path] {
                let original = source.line(location.line)
                let text = original.replacingTabs()
                let gutter = String(location.line)
                pad = String(repeating: " ", count: gutter.count)
                let caretColumn = String(original.prefix(max(0, location.column - 1))).replacingTabs().count
                let caretLength = max(1, min(location.length, max(1, text.count - caretColumn)))
                lines.append(terminal.paint("\(pad) |", .blue))
                lines.append(terminal.paint("\(gutter) |", .blue) + " " + text)
                lines.append(terminal.paint("\(pad) |", .blue) + " " + String(repeating: " ", count: caretColumn)
                    + terminal.paint(String(repeating: "^", count: caretLength), finding.severity == .error && finding.allowedBy == nil ? .boldRed : .boldYellow))
            }
        } else {
            lines.append("\(label): \(terminal.paint(finding.message, .bold))")
        }
        if let allowed = finding.allowedBy { lines.append(terminal.paint("\(pad) = allowed by ", .green) + allowed) }
        if let help = finding.help { lines.append(terminal.paint("\(pad) = help: ", .cyan) + help) }
        return lines.joined(separator: "\n") + "\n"
    }

    public func summary(_ analysis: Analysis) -> String {
        let files = analysis.migrations.files.count
        let statements = analysis.model.statementCount
        var parts = ["\(files) migration\(files == 1 ? "" : "s") (\(analysis.migrations.layout.rawValue))", "\(statements) statement\(statements == 1 ? "" : "s")"]
        if let manifest = analysis.manifest {
            parts.append("\(manifest.services.count) service\(manifest.services.count == 1 ? "" : "s") in \(manifest.path)")
        } else {
            parts.append("no ownership manifest")
        }
        let errors = analysis.errorCount, warnings = analysis.warningCount
        let allowed = analysis.findings.filter { $0.allowedBy != nil }.count
        var verdict = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        if allowed > 0 { verdict += ", \(allowed) allowed" }
        let painted = errors > 0 ? terminal.paint(verdict, .boldRed) : warnings > 0 ? terminal.paint(verdict, .boldYellow) : terminal.paint(verdict, .boldGreen)
        var text = "steward: \(parts.joined(separator: ", ")): \(painted)\n"
        if analysis.manifest == nil {
            text += terminal.paint("note:", .boldBlue) + " ownership rules were skipped: no ownership.yml was found (pass --manifest PATH)\n"
        }
        return text
    }
}

extension String {
    /// Tabs become 4 spaces so that carets line up whatever the terminal's tab width.
    func replacingTabs() -> String {
        guard utf8.contains(UInt8(ascii: "\t")) else { return self }
        var result = ""
        for character in self { if character == "\t" { result += "    " } else { result.append(character) } }
        return result
    }
}
