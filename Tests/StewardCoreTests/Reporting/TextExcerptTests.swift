import StewardCore
import StewardSQL
@testable import StewardReporting
import Testing

/// The text report copies short printable lines byte for byte and cuts long ones in bytes;
/// both must print exactly what the character-by-character excerpt prints.
struct TextExcerptTests {
    @Test(arguments: [10, 119, 120, 121, 200, 600])
    func asciiLinesAreCutAsTheCharacterPathCutsThem(width: Int) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghij KLMNOP(),;'=0123456789".utf8)
        for _ in 0..<200 {
            let line = String(decoding: (0..<width).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
            let column = Int.random(in: 0...(width + 3), using: &generator)
            let length = Int.random(in: 0...(width + 3), using: &generator)
            var bytes = ReportBytes()
            let source = SourceText("-- first\n" + line + "\r\nlast")
            let caret = TextReporter.appendExcerpt(source.bytes[source.lineRange(2)], column: column, length: length, to: &bytes)
            let expected = TextReporter.characterExcerpt(line, column: column, length: length)
            #expect(String(decoding: bytes.bytes, as: UTF8.self) == expected.text, "column \(column), length \(length)")
            #expect(caret.column == expected.caretColumn && caret.length == expected.caretLength, "column \(column), length \(length)")
        }
    }

    @Test func theWordTestFindsEveryByteThatMayNeedEscaping() {
        for suspect: UInt8 in [0x00, 0x09, 0x1B, 0x1F, 0x7F, 0xC2] {
            for position in 0..<19 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 19)
                bytes[position] = suspect
                #expect(bytes.withUnsafeBufferPointer(String.mayHoldControls), "byte \(suspect) at \(position)")
            }
        }
        let clean = Array("ALTER TABLE accounts ADD COLUMN é text -- ok ~ }".utf8)
        #expect(!clean.withUnsafeBufferPointer(String.mayHoldControls))
        #expect("a\u{1B}[31mred".escapingControls() == "a\\u{1B}[31mred")
        #expect("plain text, long enough to take the word loop".escapingControls() == "plain text, long enough to take the word loop")
    }

    /// The colored report: each piece painted as `Terminal.paint` paints it.
    @Test func coloredFindingsArePaintedAsTerminalPaints() {
        let terminal = Terminal(colors: true)
        let finding = Finding(ruleID: "drop-table", severity: .error, message: "DROP TABLE a", help: "keep it",
                              location: FileLocation(path: "m.sql", line: 2, column: 1, length: 4),
                              allowance: nil)
        let source = SourceText("-- x\nDROP TABLE a;\n")
        let expected = terminal.paint("m.sql:2:1:", .bold) + " " + terminal.paint("error[drop-table]", .boldRed) + ": "
            + terminal.paint("DROP TABLE a", .bold) + "\n"
            + terminal.paint("  |", .blue) + "\n"
            + terminal.paint("2 |", .blue) + " DROP TABLE a;\n"
            + terminal.paint("  |", .blue) + " " + terminal.paint("^^^^", .boldRed) + "\n"
            + terminal.paint("  = help: ", .cyan) + "keep it\n"
        #expect(TextReporter(terminal: terminal).render(finding, sources: SourceFiles(["m.sql": source])) == expected)
    }
}
