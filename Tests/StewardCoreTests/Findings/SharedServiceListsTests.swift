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

/// A message built piece by piece is held in storage of its own size, unchanged.
struct CompactMessageTests {
    @Test func messagesAreKeptAsTheyAre() {
        var built = "ADD COLUMN note takes an ACCESS EXCLUSIVE lock on billing.invoices"
        for part in [" (blocks reads and writes)", "; billing.invoices belongs to `billing`", " — ünïcödé kept"] { built += part }
        let finding = Finding(ruleID: "r", severity: .warning, message: built)
        #expect(finding.message == built)
        var changed = finding
        changed.message = built + "!"
        #expect(changed.message == built + "!")
        #expect(Finding(ruleID: "r", severity: .info, message: "short").message == "short")
        #expect(Finding(ruleID: "r", severity: .info, message: "").message == "")
    }

    @Test func aCompactCopyHasNoSpareCapacity() {
        var built = String(repeating: "x", count: 100)
        built += String(repeating: "y", count: 30)  // grown: capacity beyond 130
        let compact = built.compacted()
        #expect(compact == built)
        // A new storage, allocated for 130 bytes (String's capacity is not public; the original's
        // spare capacity is what this drops).
        let original = built.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        let copy = compact.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        #expect(original != copy)
    }
}
