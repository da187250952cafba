@testable import StewardCore
import Testing

struct PackedSortKeyTests {
    private func key(_ fields: [(value: Int, bits: Int)]) -> PackedSortKey {
        var key = PackedSortKey.Builder()
        for field in fields { key.append(field.value, bits: field.bits) }
        return key.key
    }

    /// Fields that fit compare as the tuple of their values, across the two words of the key.
    @Test func fieldsCompareMostSignificantFirst() {
        let layout = [16, 16, 8, 24, 40, 24]
        let small = key(zip([1, 2, 3, 4, 5, 6], layout).map { ($0, $1) })
        let laterFieldLarger = key(zip([1, 2, 3, 4, 5, 7], layout).map { ($0, $1) })
        let earlierFieldLarger = key(zip([1, 3, 0, 0, 0, 0], layout).map { ($0, $1) })
        #expect(small < laterFieldLarger && laterFieldLarger < earlierFieldLarger)
        #expect(small == key(zip([1, 2, 3, 4, 5, 6], layout).map { ($0, $1) }))
        // A 64-bit field, alone in a word and after another field.
        #expect(key([(5, 64), (1, 64)]) < key([(5, 64), (2, 64)]))
        #expect(key([(1, 8), (Int.max, 64)]) < key([(2, 8), (0, 64)]))
    }

    /// A value too large for its field saturates it and zeroes every field after it: such keys
    /// tie, whatever follows, and the caller's full comparison decides. Negative values count as 0.
    @Test func aTooLargeValueTiesWhateverFollows() {
        let tooLarge = key([(1, 4), (300, 8), (1, 8), (7, 40)])
        let largest = key([(1, 4), (255, 8), (200, 8), (0, 40)])
        #expect(tooLarge == largest)
        #expect(key([(1, 4), (254, 8), (255, 8)]) < tooLarge)
        #expect(key([(-3, 8), (1, 8)]) == key([(0, 8), (1, 8)]))
    }

    /// Sorting on the keys, then on the values when keys tie, is the values' own order,
    /// including values too large for their fields.
    @Test func keysThenValuesIsTheValuesOrder() {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<2_000).map { _ in (Int.random(in: 0..<12, using: &generator), Int.random(in: 0..<40, using: &generator),
                                              Int.random(in: 0..<5, using: &generator)) }
        let keys = values.map { key([($0.0, 3), ($0.1, 5), ($0.2, 2)]) }
        let byKeys = values.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : values[$0] < values[$1] }.map { values[$0] }
        #expect(byKeys.elementsEqual(values.sorted(by: <), by: ==))
    }
}
