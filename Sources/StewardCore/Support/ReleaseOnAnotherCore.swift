import Dispatch

/// Tears `value` down on another core: freeing a large structure value by value (a window's
/// parse results, the replayer's indexes, a model) would hold up the core that goes on.
///
/// The caller hands over its only reference (`consume`). A block that merely captured the value
/// would race the caller: whichever released last would free it, and the caller often does,
/// once the block has run. Here a box is the value's last owner, and the block empties it, so
/// the value is freed in the block, on a worker, whoever releases the empty box.
func releaseOnAnotherCore<Value: Sendable>(_ value: consuming Value) {
    let box = RetiredValue(value)
    DispatchQueue.global().async { box.empty() }
}

private final class RetiredValue<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is written once, by the one block that empties the box.
    private var value: Value?

    init(_ value: consuming Value) { self.value = value }

    func empty() { value = nil }
}
