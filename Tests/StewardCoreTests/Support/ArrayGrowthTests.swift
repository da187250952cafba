@testable import StewardCore
import Testing

struct ArrayGrowthTests {
    @Test func appendsInOrderAndGrowsByAQuarter() {
        var values: [Int] = []
        values.reserveCapacity(40)
        while values.count < values.capacity { values.appendGrowingByAQuarter(values.count) }
        let full = values.capacity
        values.appendGrowingByAQuarter(full)
        #expect(values == Array(0...full))
        // A quarter more (malloc may round up a little), where append would double.
        #expect(values.capacity >= full + 2 && values.capacity < full * 2)
        for value in (full + 1)..<1000 { values.appendGrowingByAQuarter(value) }
        #expect(values == Array(0..<1000))
    }
}
