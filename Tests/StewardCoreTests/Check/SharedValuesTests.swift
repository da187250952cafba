import Foundation
@testable import StewardCore
import Testing

/// A rule builds each finding's services list and help on its own. The findings hold one copy of
/// each list from the start (`SharedServiceLists`), whether it repeats the previous finding's or
/// one seen earlier; `shareRepeatedValues` leaves one copy of each help repeated by consecutive
/// findings, and never changes a value.
struct SharedValuesTests {
    /// A string built at run time (a literal's storage would be shared already).
    static func built(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

    static func finding(_ services: [String], help: String) -> Finding {
        Finding(ruleID: "drop-column", severity: .warning, message: "m", help: built(help), services: services.map(built))
    }

    static func servicesStorage(_ finding: Finding) -> UnsafeRawPointer? {
        finding.services.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    static func helpStorage(_ finding: Finding) -> UnsafeRawPointer? {
        finding.help?.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test func repeatedListsAndHelpsAreHeldOnce() {
        let help = "Stop reading the column everywhere first, then drop it in a later release."
        let other = "Create the index CONCURRENTLY, outside a transaction block."
        let original = [
            Self.finding(["analyzer"], help: help), Self.finding(["analyzer"], help: help),   // repeats the previous one
            Self.finding(["web", "analyzer"], help: other), Self.finding(["analyzer"], help: help),  // repeats an earlier one
            Self.finding([], help: "short"),
        ]
        #expect(Self.helpStorage(original[0]) != Self.helpStorage(original[1]), "the test starts from separate copies")
        var findings = original
        Analyzer.shareRepeatedValues(in: &findings)
        #expect(findings == original, "values are unchanged")
        for index in [1, 3] { #expect(Self.servicesStorage(findings[index]) == Self.servicesStorage(findings[0])) }
        #expect(Self.helpStorage(findings[1]) == Self.helpStorage(findings[0]))
        #expect(Self.servicesStorage(findings[2]) != Self.servicesStorage(findings[0]))
        #expect(findings[4].services.isEmpty)
    }
}
