@testable import StewardCore
import Testing

/// Findings that name the same services hold one copy of the list.
struct SharedServiceListsTests {
    private func storage(_ list: [String]) -> UnsafeRawPointer? {
        list.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func findingsNamingTheSameServicesShareTheirList() {
        // Built apart, as two rules would.
        let first = Finding(ruleID: "a", severity: .warning, message: "m", services: ["billing", "shipping"])
        let second = Finding(ruleID: "b", severity: .error, message: "n", services: ["billing"] + ["shipping"])
        #expect(first.services == ["billing", "shipping"])
        #expect(storage(first.services) == storage(second.services))
        var third = Finding(ruleID: "c", severity: .info, message: "o")
        third.services = ["shipping"] + ["billing"]
        #expect(third.services == ["shipping", "billing"])
        #expect(storage(third.services) != storage(first.services))
        let fourth = Finding(ruleID: "d", severity: .info, message: "p", services: ["shipping", "billing"])
        #expect(storage(third.services) == storage(fourth.services))
    }

    @Test func anEmptyListIsKeptAsIs() {
        #expect(Finding(ruleID: "a", severity: .warning, message: "m").services.isEmpty)
        #expect(SharedServiceLists.shared([]).isEmpty)
    }
}
