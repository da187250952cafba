import Dispatch

extension Array where Element: Sendable {
    /// `map` on all cores, keeping the order: for independent, CPU-bound work on each element
    /// (masking files, running rules, rendering findings).
    public func concurrentMap<Result>(_ transform: (Element) -> Result) -> [Result] {
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize().deallocate() }
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let slots = results
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: count) { index in slots[index] = transform(self[index]) }
        }
        return results.map { $0! }
    }
}
