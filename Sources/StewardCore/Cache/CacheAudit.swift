/// `steward cache audit`'s result: the shared Redis's keys attributed to services by their
/// prefixes, with memory and expiry sampled.
public struct CacheAudit: Sendable {
    public var target: String
    public var serverVersion: String
    /// `DBSIZE` when the scan started.
    public var databaseKeys: Int
    public var attribution: CacheKeyAttribution
    public var sampling: CacheKeySampling
    /// The scan stopped at `--max-keys`.
    public var truncated: Bool

    public init(target: String, serverVersion: String, databaseKeys: Int, attribution: CacheKeyAttribution, sampling: CacheKeySampling,
                truncated: Bool) {
        self.target = target
        self.serverVersion = serverVersion
        self.databaseKeys = databaseKeys
        self.attribution = attribution
        self.sampling = sampling
        self.truncated = truncated
    }

    public var isClean: Bool { attribution.isClean }
}
