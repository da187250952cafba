import Foundation
@testable import StewardCore
import Testing

/// `firstByteRange(of:)` finds what `firstRange(of:)` finds for the texts it is used on (comments'
/// tags, cache key prefixes), with indices valid in the searched string.
struct UTF8SearchTests {
    @Test(arguments: [
        ("table of billing @owner billing", "@owner"),
        ("@owner", "@owner"),
        ("no tag here", "@owner"),
        ("café @owner ledger, née @owner other", "@owner"),
        ("日本語のコメント @owner 請求", "@owner"),
        ("{service}:sessions:{service}", "{service}"),
        ("abc", "abcd"),
        ("", "x"),
    ])
    func findsWhatFirstRangeFinds(_ text: String, _ target: String) {
        let found = Substring(text).firstByteRange(of: target)
        #expect(found == Substring(text).firstRange(of: target))
        if let found { #expect(String(text[found]) == target) }
    }

    @Test func searchesOnlyTheSlice() throws {
        let text = "@owner a, then @owner b"
        let first = try #require(Substring(text).firstByteRange(of: "@owner"))
        let rest = text[first.upperBound...]
        let second = try #require(rest.firstByteRange(of: "@owner"))
        #expect(text.distance(from: text.startIndex, to: second.lowerBound) == 15)
        #expect(rest[first.upperBound...].firstByteRange(of: "z") == nil)
    }

    @Test func anEmptyTargetIsFoundAtTheStart() {
        let text = Substring("abc").dropFirst()
        #expect(text.firstByteRange(of: "") == text.startIndex..<text.startIndex)
    }

    @Test func replacesEveryOccurrence() {
        #expect("{service}:sessions:{service}".replacingAll("{service}", with: "billing") == "billing:sessions:billing")
        #expect("é{x}é".replacingAll("{x}", with: "ü") == "éüé")
        #expect("none".replacingAll("{x}", with: "y") == "none")
    }

    @Test func findsTheOwnerTagAfterMultibyteText() throws {
        let tagged = try #require(OwnershipComments.taggedService(in: "Données clients — @owner billing-core"))
        #expect(tagged.service == "billing-core")
    }
}
