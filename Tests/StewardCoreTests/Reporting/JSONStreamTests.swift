import Foundation
@testable import StewardReporting
import Testing

/// JSON and SARIF reports are streamed (`JSONOutput.stream`): byte for byte what encoding the
/// whole document at once gives, empty and nested-empty arrays included.
@Suite struct JSONStreamTests {
    struct Element: Encodable, Sendable {
        var name: String
        var tags: [String]
        var nested: [[String: Int]]
    }

    struct Whole: Encodable {
        var aKey = 1
        var items: [Element]
        var zLast = ["x": "a/b\u{0}"]
    }

    struct Streamed: Encodable {
        var aKey = 1
        var items = JSONOutput.ArrayPlaceholder()
        var zLast = ["x": "a/b\u{0}"]
    }

    @Test("streamed equals whole", arguments: [0, 1, 2, 1023, 1024, 1025, 2500])
    func streamedEqualsWhole(_ count: Int) {
        let elements = (0..<count).map { index in
            Element(name: "finding \(index) \"quoted\"\n", tags: index % 3 == 0 ? [] : ["t\(index)"], nested: index % 2 == 0 ? [] : [["k": index]])
        }
        for snakeCase in [true, false] {
            var streamed = ""
            JSONOutput.stream(Streamed(), elements: elements, snakeCase: snakeCase) { streamed += $0 }
            #expect(streamed == JSONOutput.encode(Whole(items: elements), snakeCase: snakeCase))
        }
    }
}

/// The byte-level escapers of the line formats, against what they replace.
@Suite struct ReportEscapingTests {
    @Test func junitEscapesEntitiesLineBreaksAndForbiddenCharacters() {
        #expect(JUnitReporter.escape("a&<>\"'\n\r\t\u{1B}\u{7F}\u{85}\u{9F}\u{A0}\u{FFFE}\u{FFFF}\u{FFFD}é😀")
                == "a&amp;&lt;&gt;&quot;&apos;&#10;&#13;&#9;\\u{1B}\\u{7F}\\u{85}\\u{9F}\u{A0}\\u{FFFE}\\u{FFFF}\u{FFFD}é😀")
        #expect(JUnitReporter.escape("plain text") == "plain text")
    }

    @Test func githubEscapesAsTheRunnerUnescapes() {
        #expect(GitHubReporter.escapeData("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
        #expect(GitHubReporter.escapeProperty("dir:a,b%/é.sql") == "dir%3Aa%2Cb%25/é.sql")
        #expect(GitHubReporter.escapeData("é😀") == "é😀")
    }
}
