import StewardCore

/// `steward cache audit`: per service keys, share, estimated memory and expiring share; the
/// unprefixed and ambiguous keys with examples.
public enum CacheAuditReport {
    public static func text(_ audit: CacheAudit, manifest: String) -> String {
        let attribution = audit.attribution, total = attribution.total
        var text = "steward cache audit: \(audit.target) (Redis \(audit.serverVersion)): \(plural(audit.databaseKeys, "key")) in the database, "
            + "\(total) scanned\(audit.truncated ? " (stopped at --max-keys)" : ""), attributed by the prefixes of \(manifest.escapingControls())\n\n"
        var rows: [[String]] = [["owner", "prefixes", "keys", "share", "memory (est.)", "expiring"]]
        for (index, group) in audit.sampling.groups.enumerated() {
            let prefixes = index < attribution.services.count ? attribution.services[index].prefixes.joined(separator: ", ") : ""
            rows.append([group.owner, index < attribution.services.count && prefixes.isEmpty ? "(none)" : prefixes, "\(group.keys)",
                         CacheAttributionReport.share(group.keys, of: total),
                         group.estimatedBytes.map { LockWeighting.describe(bytes: $0) } ?? "-",
                         group.expiryShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "-"])
        }
        text += CacheAttributionReport.table(rows)
        let sampled = audit.sampling.groups.map(\.sampled).reduce(0, +)
        text += "\nmemory and expiry from \(plural(sampled, "sampled key")) (MEMORY USAGE, PTTL)\n"
        return text + CacheAttributionReport.examples(attribution)
    }

    public static func json(_ audit: CacheAudit, manifest: String) -> String {
        struct Group: Encodable {
            var owner: String
            var keys: Int
            var sampled: Int
            var estimatedBytes: Int64?
            var expiringShare: Double?
        }
        struct Document: Encodable {
            var formatVersion = 1
            var target: String
            var serverVersion: String
            var databaseKeys: Int
            var truncated: Bool
            var manifest: String
            var attribution: CacheKeyAttribution
            var owners: [Group]
        }
        return JSONOutput.encode(Document(
            target: audit.target, serverVersion: audit.serverVersion, databaseKeys: audit.databaseKeys, truncated: audit.truncated,
            manifest: manifest, attribution: audit.attribution,
            owners: audit.sampling.groups.map { Group(owner: $0.owner, keys: $0.keys, sampled: $0.sampled, estimatedBytes: $0.estimatedBytes, expiringShare: $0.expiryShare) }))
    }
}
