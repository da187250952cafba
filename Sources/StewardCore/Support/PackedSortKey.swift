/// Non-negative integers packed into 128 bits, most significant field first: a sort compares
/// two keys before it falls back to comparing the values themselves (strings, optionals…).
/// Sixteen bytes, so that a key per finding (tens of thousands) costs little.
///
/// A value too large for its field takes the field's largest value, and every field after it
/// is left zero: keys holding such a value tie with each other, and the full comparison
/// decides between them. Ordering by the keys first, then by the full comparison when they
/// tie, is therefore exactly the full comparison's order, provided each field is ordered as
/// the full comparison orders what it stands for (ranks of sorted strings, line numbers…).
struct PackedSortKey: Comparable {
    private var high: UInt64 = 0
    private var low: UInt64 = 0

    static func < (lhs: PackedSortKey, rhs: PackedSortKey) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    /// Builds a key field by field.
    struct Builder {
        private(set) var key = PackedSortKey()
        private var used = 0
        private var saturated = false

        /// Appends `value` (negative counts as 0) in a field of `bits` bits (1 to 64; 128 in all).
        mutating func append(_ value: Int, bits: Int) {
            precondition(bits > 0 && bits <= 64 && used + bits <= 128, "a PackedSortKey holds 128 bits")
            used += bits
            let largest = UInt64.max >> UInt64(64 - bits)
            let clamped = min(UInt64(max(value, 0)), largest)
            let field = saturated ? 0 : clamped
            if clamped == largest { saturated = true }
            if bits == 64 {
                (key.high, key.low) = (key.low, field)
            } else {
                key.high = key.high << UInt64(bits) | key.low >> UInt64(64 - bits)
                key.low = key.low << UInt64(bits) | field
            }
        }
    }
}

extension PackedSortKey {
    /// The positions of `elements` in the order of `areInIncreasingOrder`: sorted on `keys` (one
    /// per element, ordered as that comparison orders them), and by the comparison only where
    /// two keys tie. Sorted through positions: moving an element costs more than an `Int`.
    static func order<Element>(of elements: [Element], keys: [PackedSortKey], by areInIncreasingOrder: (Element, Element) -> Bool) -> [Int] {
        precondition(keys.count == elements.count, "one key per element")
        var order = Array(elements.indices)
        keys.withUnsafeBufferPointer { keys in
            elements.withUnsafeBufferPointer { elements in
                order.sort { left, right in
                    if keys[left] != keys[right] { return keys[left] < keys[right] }
                    return areInIncreasingOrder(elements[left], elements[right])
                }
            }
        }
        return order
    }
}
