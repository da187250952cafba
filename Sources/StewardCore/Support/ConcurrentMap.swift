import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` on all cores, keeping the order: for independent, CPU-bound work on each element
    /// (masking files, running rules, rendering findings).
    public func concurrentMap<Mapped: Sendable>(_ transform: @Sendable (Element) -> Mapped) -> [Mapped] {
        let slots = LockedSlots<Mapped>(count: count)
        let elements = self
        DispatchQueue.concurrentPerform(iterations: count) { index in slots.set(index, transform(elements[index])) }
        return slots.values()
    }
}

/// One result slot per work item, filled from any thread. Sendable because every access to
/// `slots` holds `lock` (items are coarse: a file, a rule, a parse job; the lock costs
/// nothing next to them).
final class LockedSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = [Value?](repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = value
    }

    /// Every slot's value, moved out (the slots are left empty, so the caller's array is the
    /// values' only owner); call once, when all `set`s are done.
    func values() -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        let values = slots.map { $0! }
        slots = []
        return values
    }
}

extension Array {
    /// Reorders the elements in place so that position `i` holds the element that was at
    /// `order[i]` (`order` is a permutation of the indices), moving each element once along
    /// the permutation's cycles: no second array, and no retain or release of what the
    /// elements hold (a sort moving 50k findings through `sort(by:)` pays both).
    public mutating func rearrange(by order: [Int]) {
        precondition(order.count == count, "rearrange(by:) needs a permutation of every index")
        var placed = [Bool](repeating: false, count: count)
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for start in order.indices where !placed[start] {
                placed[start] = true
                guard order[start] != start else { continue }
                let saved = (base + start).move()
                var hole = start
                while order[hole] != start {
                    let source = order[hole]
                    (base + hole).moveInitialize(from: base + source, count: 1)
                    placed[source] = true
                    hole = source
                }
                (base + hole).initialize(to: saved)
            }
        }
    }
}
