import Foundation
import StewardCore
import StewardSQL

/// Compiler-style findings: `path:line:col: error[rule]: message`, the source line, a caret
/// under the span, a `help:` line, and a one-line summary.
public struct TextReporter: Reporter {
    public var terminal: Terminal

    public init(terminal: Terminal) { self.terminal = terminal }

    /// The report in pieces (one per finding, then the summary), so that a report of thousands
    /// of findings can be written as it is produced instead of being held whole in memory.
    /// Findings are rendered on all cores, a bounded batch at a time.
    public func write(_ report: CheckReport, to emit: (String) -> Void) { write(report.analysis, to: emit) }

    public func write(_ analysis: Analysis, to emit: (String) -> Void) {
        let batch = 1024
        let findings = analysis.findings
        for start in stride(from: 0, to: findings.count, by: batch) {
            let range = start..<Swift.min(start + batch, findings.count)
            // One piece per batch, rendered on all cores in slices of 64 findings.
            let slices = Array(stride(from: range.lowerBound, to: range.upperBound, by: 64))
            for text in slices.concurrentMap({ first -> String in
                var text = ""
                var file: (path: String, printed: String, source: SourceText?)?
                for index in first..<Swift.min(first + 64, range.upperBound) {
                    let finding = findings[index]
                    if let path = finding.location?.path, path != file?.path {
                        // Findings come sorted by file: one lookup per file, not per finding.
                        file = (path, path.escapingControls(), analysis.sources[path])
                    }
                    render(finding, source: file?.source, printedPath: file?.printed, into: &text)
                    text += "\n"
                }
                return text
            }) { emit(text) }
        }
        emit(summary(analysis))
    }

    public func render(_ finding: Finding, sources: SourceFiles) -> String {
        var text = ""
        render(finding, source: finding.location.flatMap { sources[$0.path] }, printedPath: nil, into: &text)
        return text
    }

    /// Appends one finding as the report prints it: its location and message, the source line
    /// with a caret under the span (when `source` has it), why it is allowed, and the help.
    /// `printedPath`: the location's path as printed, when the caller already escaped it.
    func render(_ finding: Finding, source: SourceText?, printedPath: String?, into text: inout String) {
        let label: String
        switch (finding.severity, finding.isAllowed) {
        case (_, true): label = terminal.paint("allowed[\(finding.ruleID)]", .boldGreen)
        case (.error, _): label = terminal.paint("error[\(finding.ruleID)]", .boldRed)
        case (.warning, _): label = terminal.paint("warning[\(finding.ruleID)]", .boldYellow)
        case (.info, _): label = terminal.paint("note[\(finding.ruleID)]", .boldBlue)
        }
        var pad = " "
        if let location = finding.location {
            text += terminal.paint("\(printedPath ?? location.path.escapingControls()):\(location.line):\(location.column):", .bold)
            text += " \(label): \(terminal.paint(finding.message.escapingControls(), .bold))\n"
            if let source {
                let (excerpt, caretColumn, caretLength) = Self.excerpt(source.line(location.line), column: location.column, length: location.length)
                let gutter = String(location.line)
                pad = String(repeating: " ", count: gutter.utf8.count)
                text += terminal.paint("\(pad) |", .blue) + "\n"
                text += terminal.paint("\(gutter) |", .blue) + " " + excerpt + "\n"
                text += terminal.paint("\(pad) |", .blue) + " " + String(repeating: " ", count: caretColumn)
                text += terminal.paint(String(repeating: "^", count: caretLength), finding.severity == .error && !finding.isAllowed ? .boldRed : .boldYellow)
                text += "\n"
            }
        } else {
            text += "\(label): \(terminal.paint(finding.message.escapingControls(), .bold))\n"
        }
        if let allowed = finding.allowedBy { text += terminal.paint("\(pad) = allowed by ", .green) + allowed.escapingControls() + "\n" }
        if let help = finding.help { text += terminal.paint("\(pad) = help: ", .cyan) + help.escapingControls() + "\n" }
    }

    /// Source lines longer than this are cut around the flagged span.
    static let excerptWidth = 120

    /// The source line as printed (tabs expanded, control characters escaped, cut with `…`
    /// around the span when it is long), and where the caret goes under it.
    static func excerpt(_ original: String, column: Int, length: Int) -> (text: String, caretColumn: Int, caretLength: Int) {
        // The common line: printable ASCII, where characters are bytes (reports can hold 50,000 findings).
        let printable: (UInt8) -> Bool = { $0 >= 0x20 && $0 < 0x7F }
        let ascii = original.utf8.withContiguousStorageIfAvailable { bytes -> (text: String, caretColumn: Int, caretLength: Int)? in
            guard bytes.allSatisfy(printable) else { return nil }
            let start = min(max(0, column - 1), bytes.count)
            guard bytes.count > excerptWidth else { return (original, start, max(1, min(length, bytes.count - start))) }
            let end = min(bytes.count, start + max(1, length))
            return cut(before: String(decoding: bytes[..<start], as: UTF8.self), span: String(decoding: bytes[start..<end], as: UTF8.self),
                       after: String(decoding: bytes[end...], as: UTF8.self))
        }
        if let ascii = ascii ?? nil { return ascii }
        let characters = Array(original)
        let start = min(max(0, column - 1), characters.count)
        let end = min(characters.count, start + max(1, length))
        return cut(before: String(characters[..<start]).replacingTabs().escapingControls(),
                   span: String(characters[start..<end]).replacingTabs().escapingControls(),
                   after: String(characters[end...]).replacingTabs().escapingControls())
    }

    /// The line around the span, cut with `…` to about `excerptWidth` characters.
    private static func cut(before: String, span: String, after: String) -> (text: String, caretColumn: Int, caretLength: Int) {
        var before = before, span = span, after = after
        if before.count + span.count + after.count > excerptWidth {
            if span.count > excerptWidth - 20 { span = String(span.prefix(excerptWidth - 20)) + "…"; after = "" }
            let room = max(10, (excerptWidth - span.count) / 2)
            if before.count > room { before = "…" + String(before.suffix(room - 1)) }
            if after.count > room { after = String(after.prefix(room - 1)) + "…" }
        }
        return (before + span + after, before.count, max(1, span.count))
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
        let (errors, warnings, notes, allowed) = analysis.counts
        var verdict = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        if notes > 0 { verdict += ", \(notes) note\(notes == 1 ? "" : "s")" }
        if allowed > 0 { verdict += ", \(allowed) allowed" }
        if let history = analysis.history {
            let pending = history.pending.count
            parts.append("\(pending) pending since \(history.reference) (\(history.baseCommit.prefix(12)))")
        }
        let painted = errors > 0 ? terminal.paint(verdict, .boldRed) : warnings > 0 ? terminal.paint(verdict, .boldYellow) : terminal.paint(verdict, .boldGreen)
        var text = "steward: \(parts.joined(separator: ", ")): \(painted)\n"
        if analysis.manifest == nil {
            text += terminal.paint("note:", .boldBlue) + " ownership rules were skipped (--no-manifest)\n"
        }
        return text
    }
}

extension String {
    /// C0 and C1 control characters (ESC among them) and DEL as `\u{1B}`-style escapes: text
    /// from a migration never drives the terminal.
    func escapingControls() -> String {
        // Bytes below 0x20, DEL, and the lead byte 0xC2 of U+0080…U+009F: none of them, nothing to escape.
        let suspect: (UInt8) -> Bool = { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }
        // Through the contiguous bytes: String.UTF8View's own contains(where:) is many times slower.
        guard utf8.withContiguousStorageIfAvailable({ $0.contains(where: suspect) }) ?? utf8.contains(where: suspect) else { return self }
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var result = ""
        for scalar in unicodeScalars {
            if Self.isControl(scalar) { result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
    }

    /// Tabs become 4 spaces so that carets line up whatever the terminal's tab width.
    func replacingTabs() -> String {
        guard utf8.contains(UInt8(ascii: "\t")) else { return self }
        var result = ""
        for character in self { if character == "\t" { result += "    " } else { result.append(character) } }
        return result
    }
}
