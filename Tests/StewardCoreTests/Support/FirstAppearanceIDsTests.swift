@testable import StewardCore
import Testing

struct FirstAppearanceIDsTests {
    /// Ids in order of first appearance, whether a string comes again right away or later.
    @Test func idsFollowFirstAppearance() {
        var ids = FirstAppearanceIDs()
        let answers = ["b.sql", "b.sql", "a.sql", "b.sql", "c.sql", "a.sql", "a.sql"].map { ids.id(of: $0) }
        #expect(answers.map(\.id) == [0, 0, 1, 0, 2, 1, 1])
        #expect(answers.map(\.isNew) == [true, false, true, false, true, false, false])
        #expect(ids.keys == ["b.sql", "a.sql", "c.sql"])
        // The empty string is a key like any other (nothing is "previous" before the first call).
        var empty = FirstAppearanceIDs()
        let first = empty.id(of: "")
        #expect(first.id == 0 && first.isNew)
    }
}

extension FirstAppearanceIDsTests {
    /// Each id's rank is its string's position in sorted order.
    @Test func ranksFollowSortedOrder() {
        var ids = FirstAppearanceIDs()
        for path in ["m.sql", "b.sql", "z.sql", "b.sql", "a.sql"] { _ = ids.id(of: path) }
        // Ids: m 0, b 1, z 2, a 3; sorted: a b m z.
        #expect(ids.ranks() == [2, 1, 3, 0])
        #expect(FirstAppearanceIDs().ranks().isEmpty)
    }
}
