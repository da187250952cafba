import Foundation
import StewardSQL

/// What `steward stats` records of a live database: per table the planner's row estimate, its
/// size and its activity counters, and per role the time spent in queries (when
/// pg_stat_statements is installed). No data, no query text, no credentials: small enough to
/// commit or cache in CI, and read by `check --stats` and `report --stats`.
public struct DatabaseStatistics: Codable, Sendable {
    public struct TableStatistics: Codable, Sendable, Hashable {
        public var schema: String
        public var name: String
        /// `pg_class.reltuples` (-1 before the first ANALYZE is stored as nil).
        public var rowsEstimate: Int64?
        /// `pg_total_relation_size`: the table, its indexes and TOAST.
        public var totalBytes: Int64
        public var inserts: Int64
        public var updates: Int64
        public var deletes: Int64
        public var sequentialScans: Int64
        public var indexScans: Int64

        public init(schema: String, name: String, rowsEstimate: Int64?, totalBytes: Int64, inserts: Int64, updates: Int64, deletes: Int64,
                    sequentialScans: Int64, indexScans: Int64) {
            self.schema = schema
            self.name = name
            self.rowsEstimate = rowsEstimate
            self.totalBytes = totalBytes
            self.inserts = inserts
            self.updates = updates
            self.deletes = deletes
            self.sequentialScans = sequentialScans
            self.indexScans = indexScans
        }

        public var relation: ObjectName { ObjectName(schema: schema, name: name) }
        public var writes: Int64 { inserts + updates + deletes }
    }

    public struct RoleStatistics: Codable, Sendable, Hashable {
        public var role: String
        public var calls: Int64
        public var totalExecutionMilliseconds: Double

        public init(role: String, calls: Int64, totalExecutionMilliseconds: Double) {
            self.role = role
            self.calls = calls
            self.totalExecutionMilliseconds = totalExecutionMilliseconds
        }
    }

    public var formatVersion = 1
    public var serverVersion: String
    public var tables: [TableStatistics]
    /// nil: pg_stat_statements is not installed (or not loaded).
    public var roles: [RoleStatistics]?

    public init(serverVersion: String, tables: [TableStatistics], roles: [RoleStatistics]?) {
        self.serverVersion = serverVersion
        self.tables = tables
        self.roles = roles
    }

    public func table(_ relation: ObjectName) -> TableStatistics? {
        let qualified = relation.qualified
        return tables.first { $0.schema == qualified.schema && $0.name == qualified.name }
    }

    private static func coder() -> (JSONEncoder, JSONDecoder) {
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return (encoder, decoder)
    }

    public func json() -> String {
        let data = (try? Self.coder().0.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a file `steward stats` wrote; errors name the file and what is wrong with it.
    public static func load(path: String) throws(InputError) -> DatabaseStatistics {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(path: path, message: "cannot read the statistics file (write it with `steward stats --db URL --output \(path)`)")
        }
        do {
            let statistics = try coder().1.decode(DatabaseStatistics.self, from: data)
            guard statistics.formatVersion == 1 else {
                throw InputError(path: path, message: "statistics format_version \(statistics.formatVersion) is not supported (this Steward reads 1)")
            }
            return statistics
        } catch let error as InputError {
            throw error
        } catch let error as DecodingError {
            throw InputError(path: path, line: 1, message: "not a statistics file written by `steward stats`: \(describe(error))")
        } catch {
            throw InputError(path: path, line: 1, message: "not a statistics file written by `steward stats`: \(error.localizedDescription)")
        }
    }

    /// Which key is wrong, in the file's own (snake_case) names.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "`\(path(context.codingPath + [key]))` is missing"
        case .typeMismatch(let type, let context):
            return "`\(path(context.codingPath))`: expected \(type is [Any].Type || "\(type)".hasPrefix("Array") ? "an array" : "a value of type \(type)")"
        case .valueNotFound(_, let context): return "`\(path(context.codingPath))` is null"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not valid JSON" : "`\(path(context.codingPath))` is invalid"
        @unknown default: return "\(error)"
        }
    }

    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}

/// `check --stats`: a lock matters by the size of what it locks. A lock finding on a table
/// estimated under `smallRows` rows is info (it is held for milliseconds); from `largeRows` on
/// it is an error; in between it keeps its rule's severity. Every lock finding on a table the
/// statistics know says how big the table is.
public struct LockWeighting: Sendable {
    public var smallRows: Int64
    public var largeRows: Int64

    public init(smallRows: Int64 = 10_000, largeRows: Int64 = 1_000_000) {
        self.smallRows = smallRows
        self.largeRows = largeRows
    }

    public func apply(to findings: [Finding], statistics: DatabaseStatistics) -> [Finding] {
        findings.map { finding in
            guard RuleRegistry.category(of: finding.ruleID) == .locking,
                  let object = finding.objects.first(where: { $0.table != nil }),
                  let table = statistics.table(ObjectName(schema: object.schema, name: object.table!)) else { return finding }
            var weighted = finding
            let rows = table.rowsEstimate
            weighted.message += " (\(ObjectName(schema: table.schema, name: table.name)): \(Self.describe(rows: rows)), \(Self.describe(bytes: table.totalBytes)))"
            if let rows {
                if rows < smallRows { weighted.severity = .info } else if rows >= largeRows { weighted.severity = .error }
            }
            return weighted
        }
    }

    public static func describe(rows: Int64?) -> String {
        guard let rows else { return "never analyzed" }
        switch rows {
        case ..<1_000: return "~\(rows) rows"
        case ..<1_000_000: return "~\(formatted(Double(rows) / 1_000))k rows"
        default: return "~\(formatted(Double(rows) / 1_000_000))M rows"
        }
    }

    public static func describe(bytes: Int64) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : "\(formatted(value)) \(units[unit])"
    }

    private static func formatted(_ value: Double) -> String {
        value >= 10 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }
}
