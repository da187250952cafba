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
            for piece in slices.concurrentMap({ first -> String in
                var text = ReportBytes()
                var file: (path: String, printed: String, source: SourceText?)?
                for index in first..<Swift.min(first + 64, range.upperBound) {
                    let finding = findings[index]
                    if let path = finding.location?.path, path != file?.path {
                        // Findings come sorted by file: one lookup per file, not per finding.
                        file = (path, path.escapingControls(), analysis.sources[path])
                    }
                    render(finding, source: file?.source, printedPath: file?.printed, into: &text)
                    text.append("\n")
                }
                return String(decoding: text.bytes, as: UTF8.self)
            }) { emit(piece) }
        }
        emit(summary(analysis))
    }

    public func render(_ finding: Finding, sources: SourceFiles) -> String {
        var text = ReportBytes()
        render(finding, source: finding.location.flatMap { sources[$0.path] }, printedPath: nil, into: &text)
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// Appends one finding as the report prints it: its location and message, the source line
    /// with a caret under the span (when `source` has it), why it is allowed, and the help.
    /// `printedPath`: the location's path as printed, when the caller already escaped it.
    func render(_ finding: Finding, source: SourceText?, printedPath: String?, into text: inout ReportBytes) {
        let colors = terminal.colors
        let (word, style): (StaticString, Terminal.Style) = switch (finding.severity, finding.isAllowed) {
        case (_, true): ("allowed", .boldGreen)
        case (.error, _): ("error", .boldRed)
        case (.warning, _): ("warning", .boldYellow)
        case (.info, _): ("note", .boldBlue)
        }
        func labelAndMessage() {
            text.painted(style, colors) {
                $0.append(word)
                $0.append("[")
                $0.append(finding.ruleID)
                $0.append("]")
            }
            text.append(": ")
            text.painted(.bold, colors) { $0.append(finding.message.escapingControls()) }
            text.append("\n")
        }
        var padWidth = 1
        /// `  |` (or `12 |` with the line number) in the gutter's color.
        func gutter(_ lineNumber: [UInt8]? = nil) {
            text.painted(.blue, colors) {
                if let lineNumber { $0.bytes += lineNumber } else { $0.append(repeating: UInt8(ascii: " "), count: padWidth) }
                $0.append(" |")
            }
        }
        if let location = finding.location {
            text.painted(.bold, colors) {
                $0.append(printedPath ?? location.path.escapingControls())
                $0.append(":")
                $0.append(location.line)
                $0.append(":")
                $0.append(location.column)
                $0.append(":")
            }
            text.append(" ")
            labelAndMessage()
            if let source {
                let lineNumber = ReportBytes.decimal(location.line)
                padWidth = lineNumber.count
                gutter()
                text.append("\n")
                gutter(lineNumber)
                text.append(" ")
                let caret = Self.appendExcerpt(source.bytes[source.lineRange(location.line)], column: location.column, length: location.length,
                                               to: &text)
                text.append("\n")
                gutter()
                text.append(" ")
                text.append(repeating: UInt8(ascii: " "), count: caret.column)
                text.painted(finding.severity == .error && !finding.isAllowed ? .boldRed : .boldYellow, colors) {
                    $0.append(repeating: UInt8(ascii: "^"), count: caret.length)
                }
                text.append("\n")
            }
        } else {
            labelAndMessage()
        }
        func note(_ title: StaticString, _ body: String, _ style: Terminal.Style) {
            text.painted(style, colors) {
                $0.append(repeating: UInt8(ascii: " "), count: padWidth)
                $0.append(title)
            }
            text.append(body.escapingControls())
            text.append("\n")
        }
        if let allowed = finding.allowedBy { note(" = allowed by ", allowed, .green) }
        if let help = finding.help { note(" = help: ", help, .cyan) }
    }

    /// Appends a source line as the report prints it (see `excerpt`), and returns where the
    /// caret goes. A line of printable ASCII (the common case) is copied, or cut, byte for byte:
    /// its characters are its bytes.
    static func appendExcerpt(_ line: ArraySlice<UInt8>, column: Int, length: Int, to text: inout ReportBytes) -> (column: Int, length: Int) {
        guard line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            let (excerpt, caretColumn, caretLength) = characterExcerpt(String(decoding: line, as: UTF8.self), column: column, length: length)
            text.append(excerpt)
            return (caretColumn, caretLength)
        }
        let start = min(max(0, column - 1), line.count)
        guard line.count > excerptWidth else {
            text.bytes += line
            return (start, max(1, min(length, line.count - start)))
        }
        let end = min(line.count, start + max(1, length))
        let cut = cutWidths(before: start, span: end - start, after: line.count - end)
        let base = line.startIndex
        if cut.before < start { text.append("…") }
        text.bytes += line[(base + start - cut.before)..<(base + start)]
        text.bytes += line[(base + start)..<(base + start + cut.span)]
        if cut.span < end - start { text.append("…") }
        text.bytes += line[(base + end)..<(base + end + cut.after)]
        if cut.after < line.count - end, cut.span == end - start { text.append("…") }
        return (cut.before + (cut.before < start ? 1 : 0), max(1, cut.span + (cut.span < end - start ? 1 : 0)))
    }

    /// Source lines longer than this are cut around the flagged span.
    static let excerptWidth = 120

    /// The source line as printed (tabs expanded, control characters escaped, cut with `…`
    /// around the span when it is long), and where the caret goes under it.
    static func excerpt(_ original: String, column: Int, length: Int) -> (text: String, caretColumn: Int, caretLength: Int) {
        var text = ReportBytes()
        let caret = appendExcerpt(Array(original.utf8)[...], column: column, length: length, to: &text)
        return (String(decoding: text.bytes, as: UTF8.self), caret.column, caret.length)
    }

    /// `excerpt` character by character: for lines that are not all printable ASCII.
    static func characterExcerpt(_ original: String, column: Int, length: Int) -> (text: String, caretColumn: Int, caretLength: Int) {
        let characters = Array(original)
        let start = min(max(0, column - 1), characters.count)
        let end = min(characters.count, start + max(1, length))
        return cut(before: String(characters[..<start]).replacingTabs().escapingControls(),
                   span: String(characters[start..<end]).replacingTabs().escapingControls(),
                   after: String(characters[end...]).replacingTabs().escapingControls())
    }

    /// The line around the span, cut with `…` to about `excerptWidth` characters.
    private static func cut(before: String, span: String, after: String) -> (text: String, caretColumn: Int, caretLength: Int) {
        let widths = cutWidths(before: before.count, span: span.count, after: after.count)
        let shownBefore = widths.before < before.count ? "…" + String(before.suffix(widths.before)) : before
        let spanCut = widths.span < span.count
        let shownSpan = spanCut ? String(span.prefix(widths.span)) + "…" : span
        let shownAfter = spanCut ? "" : widths.after < after.count ? String(after.prefix(widths.after)) + "…" : after
        return (shownBefore + shownSpan + shownAfter, shownBefore.count, max(1, shownSpan.count))
    }

    /// How many characters of the text before the span, of the span and after it stay when a
    /// line is cut to about `excerptWidth` characters (each cut side then gets a `…`): a span
    /// longer than the width less 20 keeps its start and loses what follows; each side gets
    /// half of the room left, at least 10 characters with its `…`.
    static func cutWidths(before: Int, span: Int, after: Int) -> (before: Int, span: Int, after: Int) {
        guard before + span + after > excerptWidth else { return (before, span, after) }
        var shown = (before: before, span: span, after: after)
        var spanWidth = span
        if span > excerptWidth - 20 {
            shown.span = excerptWidth - 20
            shown.after = 0
            spanWidth = shown.span + 1
        }
        let room = max(10, (excerptWidth - spanWidth) / 2)
        if before > room { shown.before = room - 1 }
        if shown.after > room { shown.after = room - 1 }
        return shown
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
        // Through the contiguous bytes, eight at a time (every message and help of a report passes here).
        guard utf8.withContiguousStorageIfAvailable({ Self.mayHoldControls($0) }) ?? utf8.contains(where: suspect) else { return self }
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var result = ""
        for scalar in unicodeScalars {
            if Self.isControl(scalar) { result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// Whether the bytes hold one below 0x20, 0x7F or 0xC2 (may be true when they do not: the
    /// caller then looks at the scalars). Eight bytes per step with the classic "has a byte less
    /// than n" and "has a zero byte" word tests.
    static func mayHoldControls(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & high != 0 }
        var index = 0
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if (word &- ones &* 0x20) & ~word & high != 0 || hasZeroByte(word ^ (ones &* 0x7F)) || hasZeroByte(word ^ (ones &* 0xC2)) {
                return true
            }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F || byte == 0xC2 { return true }
            index += 1
        }
        return false
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

/// A report's UTF-8 text, built by appending bytes: a report of 50,000 findings is ~30 MB of
/// text, and building it from interpolated strings costs several times more.
struct ReportBytes {
    var bytes: [UInt8] = []

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A decimal number, as `String(number)` prints it.
    mutating func append(_ number: Int) { bytes += Self.decimal(number) }

    static func decimal(_ number: Int) -> [UInt8] {
        guard number != 0 else { return [UInt8(ascii: "0")] }
        var digits: [UInt8] = []
        var rest = number.magnitude
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        if number < 0 { digits.append(UInt8(ascii: "-")) }
        return digits.reversed()
    }

    mutating func append(repeating byte: UInt8, count: Int) {
        bytes.append(contentsOf: repeatElement(byte, count: max(0, count)))
    }

    /// What `body` appends, in `style` when colors are on (as `Terminal.paint` does).
    mutating func painted(_ style: Terminal.Style, _ colors: Bool, _ body: (inout ReportBytes) -> Void) {
        if colors {
            append("\u{1B}[")
            append(style.rawValue)
            append("m")
        }
        body(&self)
        if colors { append("\u{1B}[0m") }
    }
}
