import StewardSQL
import Testing

struct SourceTextTests {
    @Test func linesAndColumnsCountCharactersNotBytes() {
        let source = SourceText("-- é\nSELECT 'ü', x;\n")
        let offset = Array("-- é\nSELECT 'ü', ".utf8).count
        let location = source.location(ofByte: offset)
        #expect(location.line == 2)
        #expect(location.column == 13)
    }

    @Test func crlfLinesDropTheCarriageReturn() {
        let source = SourceText("CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n")
        #expect(source.line(2) == "CREATE TABLE b (id int);")
        #expect(source.location(ofByte: 26).line == 2)
        #expect(source.location(ofByte: 26).column == 1)
    }

    @Test func aLineHintNeverChangesTheAnswer() {
        let source = SourceText("-- é\n\nSELECT 'ü', x;\r\nCREATE TABLE a (id int);\nlast line without a break")
        let offsets = Array(0...(source.bytes.count + 3))
        // Forward, backward, jumping, and from hints that are stale or out of range.
        for order in [offsets, offsets.reversed(), offsets.enumerated().map { offsets[($0.offset * 7) % offsets.count] }] {
            var hint = 0
            for offset in order {
                let hinted = source.location(ofByte: offset, lineHint: &hint)
                let plain = source.location(ofByte: offset)
                #expect((hinted.line, hinted.column, hinted.offset) == (plain.line, plain.column, plain.offset), "offset \(offset)")
                #expect(hint == plain.line - 1)
            }
        }
        for stale in [-5, 3, 99] {
            var hint = stale
            #expect(source.location(ofByte: 2, lineHint: &hint).line == 1)
        }
        var hint = 0
        #expect(SourceText(bytes: []).location(ofByte: 0, lineHint: &hint).line == 1)
    }

    @Test func characterCursorBecomesByteOffset() {
        let source = SourceText("ééé x")
        #expect(source.byteOffset(ofCharacterPosition: 5) == 7)
        #expect(source.byteOffset(ofCharacterPosition: 1) == 0)
    }
}
