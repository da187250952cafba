/// Keys of the shared cache attributed to the services whose `cache.prefixes` they start
/// with (`steward cache attribute --keys FILE`, e.g. the output of `redis-cli --scan`).
public struct CacheKeyAttribution: Sendable, Encodable {
    public struct ServiceKeys: Sendable, Encodable {
        public var service: String
        public var prefixes: [String]
        public var keys: Int
    }

    public struct AmbiguousKey: Sendable, Encodable {
        public var key: String
        public var services: [String]
    }

    public var total = 0
    public var services: [ServiceKeys] = []
    /// Keys no service's prefix matches.
    public var unprefixed = 0
    public var unprefixedSamples: [String] = []
    /// Keys that match prefixes of two services or more.
    public var ambiguous = 0
    public var ambiguousSamples: [AmbiguousKey] = []

    /// How many example keys of each kind are kept.
    public static let sampleLimit = 10

    /// Whether every key belongs to exactly one service.
    public var isClean: Bool { unprefixed == 0 && ambiguous == 0 }

    public init(manifest: OwnershipManifest) {
        services = manifest.services.map { ServiceKeys(service: $0.name, prefixes: $0.cachePrefixes.map(\.text), keys: 0) }
        prefixes = services.enumerated().flatMap { index, service in service.prefixes.map { (Array($0.utf8), index) } }
    }

    private let prefixes: [(bytes: [UInt8], service: Int)]

    enum CodingKeys: String, CodingKey { case total, services, unprefixed, unprefixedSamples, ambiguous, ambiguousSamples }

    /// Whose a key is.
    public enum KeyOwner: Sendable, Hashable {
        /// The index of the service in `services`.
        case service(Int)
        case unprefixed
        case ambiguous
    }

    /// Counts one key (its bytes as stored in the cache) and says whose it is.
    @discardableResult
    public mutating func add(_ key: some Collection<UInt8>) -> KeyOwner {
        total += 1
        var owner: Int?
        var others: [Int] = []
        for prefix in prefixes where key.count >= prefix.bytes.count && key.starts(with: prefix.bytes) {
            if owner == nil { owner = prefix.service } else if prefix.service != owner, !others.contains(prefix.service) { others.append(prefix.service) }
        }
        guard let owner else {
            unprefixed += 1
            if unprefixedSamples.count < Self.sampleLimit { unprefixedSamples.append(String(decoding: key, as: UTF8.self)) }
            return .unprefixed
        }
        if others.isEmpty {
            services[owner].keys += 1
            return .service(owner)
        }
        ambiguous += 1
        if ambiguousSamples.count < Self.sampleLimit {
            ambiguousSamples.append(AmbiguousKey(key: String(decoding: key, as: UTF8.self), services: ([owner] + others).map { services[$0].service }))
        }
        return .ambiguous
    }
}
