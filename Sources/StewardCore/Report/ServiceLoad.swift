import StewardSQL

/// Each service's share of the shared database, from `steward stats`: the size of its tables,
/// the rows written to them, and the time its roles spent in queries. The ADR's "performance
/// bottlenecks" and "scale divergence" reasons to reconsider the shared database, measured.
public struct ServiceLoad: Sendable, Encodable, Hashable {
    public var service: String
    public var tables: Int
    public var totalBytes: Int64
    public var writes: Int64
    /// nil without pg_stat_statements.
    public var executionMilliseconds: Double?
    public var sizeShare: Double
    public var writeShare: Double
    public var timeShare: Double?

    /// One row per service, plus `unowned` for tables no service claims when there are any.
    public static func of(_ statistics: DatabaseStatistics, model: SchemaModel, manifest: OwnershipManifest) -> [ServiceLoad] {
        var bytes: [String: Int64] = [:], writes: [String: Int64] = [:], tables: [String: Int] = [:]
        for table in statistics.tables {
            let service = SchemaDrift.owner(of: table.relation, in: model, manifest: manifest) ?? "unowned"
            bytes[service, default: 0] += table.totalBytes
            writes[service, default: 0] += table.writes
            tables[service, default: 0] += 1
        }
        var time: [String: Double]?
        if let roles = statistics.roles {
            var byService: [String: Double] = [:]
            for service in manifest.services {
                byService[service.name] = roles.filter { service.roles.contains($0.role) }.map(\.totalExecutionMilliseconds).reduce(0, +)
            }
            time = byService
        }
        let totalBytes = max(1, bytes.values.reduce(0, +)), totalWrites = max(1, writes.values.reduce(0, +))
        let totalTime = max(0.001, time?.values.reduce(0, +) ?? 0)
        let names = manifest.services.map(\.name) + (tables["unowned"] != nil ? ["unowned"] : [])
        return names.map { name in
            ServiceLoad(service: name, tables: tables[name] ?? 0, totalBytes: bytes[name] ?? 0, writes: writes[name] ?? 0,
                        executionMilliseconds: time?[name], sizeShare: Double(bytes[name] ?? 0) / Double(totalBytes),
                        writeShare: Double(writes[name] ?? 0) / Double(totalWrites), timeShare: time.map { ($0[name] ?? 0) / totalTime })
        }
    }
}
