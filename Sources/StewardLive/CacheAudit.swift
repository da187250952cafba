import StewardCore

/// `steward cache audit`: the shared Redis's keys attributed to services by their prefixes,
/// read with `SCAN` (never `KEYS`, which blocks the server), with memory and expiry sampled.
extension CacheAudit {
    /// Reads the keys with `SCAN` (never `KEYS`, which blocks the server).
    /// `maxKeys`: stop after that many keys; `sample`: measure about that many keys in all
    /// (every n-th key, n from DBSIZE); `progress` is told the count now and then.
    public static func run(_ connection: RedisConnection, manifest: OwnershipManifest, maxKeys: Int, sample: Int,
                           progress: (Int) -> Void = { _ in }) throws(LiveError) -> CacheAudit {
        var attribution = CacheKeyAttribution(manifest: manifest)
        var sampling = CacheKeySampling(owners: manifest.services.map(\.name))
        let size: Int
        if case .integer(let count) = try connection.command(["DBSIZE"]) { size = Int(count) } else { size = 0 }
        let stride = sample > 0 ? max(1, min(size, maxKeys) / sample) : Int.max
        var cursor = "0", scanned = 0, truncated = false
        repeat {
            guard case .array(let reply) = try connection.command(["SCAN", cursor, "COUNT", "1000"]), reply.count == 2,
                  case .string(let next) = reply[0], case .array(let keys) = reply[1] else {
                throw LiveError(.query, "\(connection.target): unexpected reply to SCAN")
            }
            cursor = String(decoding: next, as: UTF8.self)
            for case .string(let key) in keys {
                if scanned == maxKeys {
                    truncated = true
                    break
                }
                let owner = attribution.add(key)
                sampling.count(owner)
                if scanned % stride == 0 {
                    var bytes: Int64?
                    if case .integer(let usage) = try connection.command(bytes: [Array("MEMORY".utf8), Array("USAGE".utf8), key]) { bytes = usage }
                    var expires = false
                    if case .integer(let milliseconds) = try connection.command(bytes: [Array("PTTL".utf8), key]) { expires = milliseconds >= 0 }
                    sampling.record(owner, bytes: bytes, expires: expires)
                }
                scanned += 1
                if scanned % 10_000 == 0 { progress(scanned) }
            }
        } while cursor != "0" && !truncated
        var version = ""
        if case .string(let info) = try connection.command(["INFO", "server"]) {
            version = String(decoding: info, as: UTF8.self).split(whereSeparator: \.isNewline)
                .first { $0.hasPrefix("redis_version:") }.map { String($0.dropFirst("redis_version:".count)) } ?? ""
        }
        return CacheAudit(target: connection.target.description, serverVersion: version, databaseKeys: size, attribution: attribution,
                          sampling: sampling, truncated: truncated)
    }
}
