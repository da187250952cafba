@testable import StewardCore
import StewardSQL
import Testing

/// A reverse index answers with each value once, sorted, whatever order and repetition the
/// values were added in.
struct ReverseIndexTests {
    @Test func valuesAreDistinctAndSorted() {
        let key = ObjectName(schema: "public", name: "users")
        let names = ["orders", "invoices", "audit", "orders", "zeta", "invoices", "alpha"].map { ObjectName(schema: "public", name: $0) }
            + [ObjectName(schema: "billing", name: "orders"), ObjectName(name: "orders"), ObjectName(schema: "billing", name: "orders")]
        var index = ReverseIndex()
        for name in names { index.add(name, to: key) }
        #expect(index.values(of: key) == Array(Set(names)).sorted())
        #expect(index.values(of: ObjectName(name: "other")) == [])
        var reversed = ReverseIndex()
        for name in names.reversed() { reversed.add(name, to: key) }
        #expect(reversed.values(of: key) == index.values(of: key))
    }
}
