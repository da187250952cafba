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

    @Test func characterCursorBecomesByteOffset() {
        let source = SourceText("ééé x")
        #expect(source.byteOffset(ofCharacterPosition: 5) == 7)
        #expect(source.byteOffset(ofCharacterPosition: 1) == 0)
    }
}
