#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Substring {
    /// The first occurrence of `target`, compared byte for byte in UTF-8 (`memchr` for its first
    /// byte, `memcmp` for the rest).
    ///
    /// For text that is not SQL (comments' tags, cache key prefixes), where a byte match is the match
    /// wanted. `firstRange(of:)` would do the same through the string-processing library, whose code a
    /// `check` otherwise never runs (it would be mapped, and resident, for this alone).
    func firstByteRange(of target: String) -> Range<String.Index>? {
        var target = target
        return target.withUTF8 { needle -> Range<String.Index>? in
            guard let needleBase = needle.baseAddress, !needle.isEmpty else { return startIndex..<startIndex }
            func offset(in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
                guard let base = haystack.baseAddress else { return nil }
                var from = 0
                while haystack.count - from >= needle.count,
                      let hit = memchr(base + from, Int32(needleBase.pointee), haystack.count - from - needle.count + 1) {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, needleBase, needle.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
            // A native string's bytes are contiguous; a bridged one's are copied first.
            guard let offset = utf8.withContiguousStorageIfAvailable(offset(in:)) ?? Array(utf8).withUnsafeBufferPointer(offset(in:)) else {
                return nil
            }
            let lower = utf8.index(startIndex, offsetBy: offset)
            return lower..<utf8.index(lower, offsetBy: needle.count)
        }
    }
}
