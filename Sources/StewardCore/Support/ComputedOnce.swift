import Foundation

/// A value computed once and then shared, safe across the threads rules run on.
final class ComputedOnce<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `lock` guards `stored`; the first caller computes while holding it, so the
    // others wait for the same value instead of computing it again.
    private let lock = NSLock()
    private var stored: Value?

    func value(_ compute: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let computed = compute()
        stored = computed
        return computed
    }
}
