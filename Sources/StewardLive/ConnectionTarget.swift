import Foundation
import CLibPQ

/// What to connect to: a libpq connection string (`host=… dbname=…`) or URL
/// (`postgresql://user:secret@host/db`). Empty means libpq's defaults: the `PG*` environment
/// variables and `~/.pgpass`, read by libpq itself as for `psql`.
public struct ConnectionTarget: Sendable, CustomStringConvertible {
    public var conninfo: String

    public init(_ conninfo: String) { self.conninfo = conninfo }

    /// Checks the string with libpq's own parser (an empty string is valid: libpq's defaults).
    public func validate() throws(LiveError) {
        guard !conninfo.isEmpty else { return }
        let libpq = try LibPQ.load()
        var error: UnsafeMutablePointer<CChar>?
        guard let options = libpq.conninfoParse(conninfo, &error) else {
            let reason = error.map { String(cString: $0).trimmingTrailingNewlines } ?? "out of memory"
            if let error { libpq.freemem(error) }
            throw LiveError(.invalidConnectionString, "invalid connection string: \(mask(reason))")
        }
        libpq.conninfoFree(options)
    }

    /// The parameters libpq reads from the string (without the password), for messages.
    public var description: String {
        guard !conninfo.isEmpty else { return "(libpq defaults: PG* environment variables)" }
        guard let libpq = try? LibPQ.load(), let options = libpq.conninfoParse(conninfo, nil) else { return "(an invalid connection string)" }
        defer { libpq.conninfoFree(options) }
        var parts: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if let value = option.pointee.val, ["host", "hostaddr", "port", "dbname", "user", "sslmode"].contains(name) {
                parts.append("\(name)=\(String(cString: value))")
            }
            option += 1
        }
        return parts.isEmpty ? "(libpq defaults)" : parts.joined(separator: " ")
    }

    /// Secrets the string carries: the password libpq reads from it, and the password part of
    /// a URL's user information (also when the rest of the string does not parse).
    var secrets: [String] {
        var found: [String] = []
        if let libpq = try? LibPQ.load(), let options = libpq.conninfoParse(conninfo, nil) {
            defer { libpq.conninfoFree(options) }
            var option = options
            while let keyword = option.pointee.keyword {
                if String(cString: keyword) == "password", let value = option.pointee.val { found.append(String(cString: value)) }
                option += 1
            }
        }
        if let password = urlPassword(in: conninfo) { found.append(String(conninfo[password])) }
        return found.filter { !$0.isEmpty }
    }

    /// `text` with every secret of the string replaced by `****`.
    public func mask(_ text: String) -> String {
        secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "****") }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}

/// Where the password of a URL's user information is (`scheme://user:secret@host/…`: userinfo
/// ends at the last `@` before the path), found without parsing the rest, which may be invalid.
func urlPassword(in url: String) -> Range<String.Index>? {
    guard let scheme = url.range(of: "://") else { return nil }
    let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
    guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
    return authority.index(after: colon)..<at
}
