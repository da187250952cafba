import StewardCore

/// `steward cache audit`: per service keys, share, estimated memory and expiring share; the
/// unprefixed and ambiguous keys with examples.
public enum CacheAuditReport {
    public static func text(_ audit: CacheAudit, manifest: String) -> String {
        let attribution = audit.attribution, total = attribution.total
        func share(_ count: Int) -> String {
            guard total > 0 else { return "" }
            let tenths = (count * 1000 + total / 2) / total
            return "\(tenths / 10).\(tenths % 10)%"
        }
        var text = "steward cache audit: \(audit.target) (Redis \(audit.serverVersion)): \(plural(audit.databaseKeys, "key")) in the database, "
            + "\(total) scanned\(audit.truncated ? " (stopped at --max-keys)" : ""), attributed by the prefixes of \(manifest.escapingControls())\n\n"
        var rows: [[String]] = [["owner", "prefixes", "keys", "share", "memory (est.)", "expiring"]]
        for (index, group) in audit.sampling.groups.enumerated() {
            let prefixes = index < attribution.services.count ? attribution.services[index].prefixes.joined(separator: ", ") : ""
            rows.append([group.owner, index < attribution.services.count && prefixes.isEmpty ? "(none)" : prefixes, "\(group.keys)", share(group.keys),
                         group.estimatedBytes.map { LockWeighting.describe(bytes: $0) } ?? "-",
                         group.expiryShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "-"])
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            text += row.enumerated().map { column, cell in
                column >= 2 ? String(repeating: " ", count: widths[column] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingBlanks() + "\n"
        }
        let sampled = audit.sampling.groups.map(\.sampled).reduce(0, +)
        text += "\nmemory and expiry from \(plural(sampled, "sampled key")) (MEMORY USAGE, PTTL)\n"
        if !attribution.unprefixedSamples.isEmpty {
            text += "\nkeys no service's prefix matches, e.g.:\n"
            for key in attribution.unprefixedSamples { text += "  \(key.escapingControls())\n" }
        }
        if !attribution.ambiguousSamples.isEmpty {
            text += "\nkeys that match several services' prefixes, e.g.:\n"
            for sample in attribution.ambiguousSamples { text += "  \(sample.key.escapingControls())  (\(sample.services.joined(separator: ", ")))\n" }
        }
        return text
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
