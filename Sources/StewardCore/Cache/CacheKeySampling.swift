/// Memory and expiry of a sample of the shared cache's keys, per owner (a service,
/// `unprefixed`, `ambiguous`): `steward cache audit` measures every n-th key with
/// `MEMORY USAGE` and `PTTL` and scales the sample to the owner's key count.
public struct CacheKeySampling: Sendable, Encodable {
    public struct Group: Sendable, Encodable, Hashable {
        public var owner: String
        public var keys: Int
        public var sampled: Int
        public var sampledBytes: Int64
        public var sampledWithExpiry: Int

        /// The sample's mean size times the owner's keys (nil without a sample).
        public var estimatedBytes: Int64? { sampled == 0 ? nil : sampledBytes * Int64(keys) / Int64(sampled) }
        /// Share of sampled keys that expire (nil without a sample).
        public var expiryShare: Double? { sampled == 0 ? nil : Double(sampledWithExpiry) / Double(sampled) }
    }

    public private(set) var groups: [Group]

    /// Groups in the attribution's order: the services, then unprefixed and ambiguous keys.
    public init(owners: [String]) {
        groups = (owners + ["unprefixed", "ambiguous"]).map { Group(owner: $0, keys: 0, sampled: 0, sampledBytes: 0, sampledWithExpiry: 0) }
    }

    private func index(_ owner: CacheKeyAttribution.KeyOwner) -> Int {
        switch owner {
        case .service(let index): index
        case .unprefixed: groups.count - 2
        case .ambiguous: groups.count - 1
        }
    }

    public mutating func count(_ owner: CacheKeyAttribution.KeyOwner) { groups[index(owner)].keys += 1 }

    /// One sampled key: its `MEMORY USAGE` (nil when the key vanished meanwhile) and whether it expires.
    public mutating func record(_ owner: CacheKeyAttribution.KeyOwner, bytes: Int64?, expires: Bool) {
        guard let bytes else { return }
        let position = index(owner)
        groups[position].sampled += 1
        groups[position].sampledBytes += bytes
        if expires { groups[position].sampledWithExpiry += 1 }
    }
}
