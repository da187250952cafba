import CLibPQ

/// libpq's functions, loaded from libpq.so.5 on first use (see `steward_libpq.h`).
enum LibPQ {
    static func load() throws(LiveError) -> StewardLibPQ {
        var error: UnsafePointer<CChar>?
        guard let table = steward_libpq(&error) else {
            throw LiveError(.libraryUnavailable, error.map { String(cString: $0) } ?? "cannot load libpq")
        }
        return table.pointee
    }
}

/// A C string libpq returns (never freed by the caller), or "" for NULL.
func cText(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
func cText(_ pointer: UnsafeMutablePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
