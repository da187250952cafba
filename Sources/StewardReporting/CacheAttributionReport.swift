import StewardCore

/// `steward cache attribute`: keys per service, unprefixed and ambiguous keys with examples.
public enum CacheAttributionReport {
    public static func text(_ attribution: CacheKeyAttribution, keysFile: String, manifest: String) -> String {
        var rows: [[String]] = [["service", "prefixes", "keys", "share"]]
        for service in attribution.services {
            rows.append([service.service, service.prefixes.isEmpty ? "(none)" : service.prefixes.joined(separator: ", "), "\(service.keys)",
                         share(service.keys, of: attribution.total)])
        }
        rows.append(["unprefixed", "", "\(attribution.unprefixed)", share(attribution.unprefixed, of: attribution.total)])
        rows.append(["ambiguous", "", "\(attribution.ambiguous)", share(attribution.ambiguous, of: attribution.total)])
        let total = attribution.total
        return "\(total) key\(total == 1 ? "" : "s") in \(keysFile.escapingControls()), attributed by the prefixes of \(manifest.escapingControls())\n\n"
            + table(rows) + examples(attribution)
    }

    /// `count` of `total` as a percentage with one decimal ("" when there is nothing).
    static func share(_ count: Int, of total: Int) -> String {
        guard total > 0 else { return "" }
        let tenths = (count * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Rows in aligned columns: the first two left-aligned (names), the others right-aligned (numbers).
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column >= 2 ? String(repeating: " ", count: widths[column] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingBlanks() + "\n"
        }.joined()
    }

    /// Examples of the keys no prefix matches and of those several services' prefixes match.
    static func examples(_ attribution: CacheKeyAttribution) -> String {
        var text = ""
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

    public static func json(_ attribution: CacheKeyAttribution, manifest: String) -> String {
        struct Document: Encodable {
            var formatVersion = 1
            var manifest: String
            var attribution: CacheKeyAttribution
        }
        return JSONOutput.encode(Document(manifest: manifest, attribution: attribution))
    }
}

extension String {
    func trimmingTrailingBlanks() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
