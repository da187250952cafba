import StewardSQL

/// The migration `steward annotate` writes, named and shaped as the directory's migration tool
/// expects a new one: the next version (or a timestamp where the tool uses them), the tool's
/// up/down sections or files, and a down migration that restores the comments as they were.
public enum AnnotationMigration {
    public struct File: Sendable, Equatable {
        /// Relative to the migrations directory.
        public var path: String
        public var text: String
    }

    public struct Unsupported: Error, Sendable {
        public var message: String
    }

    public static let slug = "steward_ownership_comments"

    /// `timestamp`: the current UTC time as `YYYYMMDDHHMMSS` (the library reads no clock).
    public static func files(for annotations: [OwnershipComments.Annotation], in migrations: MigrationSet,
                             timestamp: String) throws(Unsupported) -> [File] {
        let up = OwnershipComments.sql(annotations)
        let down = "-- Restores the table comments as they were before `steward annotate`.\n" + annotations.map { annotation in
            "COMMENT ON TABLE \(annotation.table.quotedSQL) IS \(annotation.current.map { "'\($0.doubling("'"))'" } ?? "NULL");\n"
        }.joined()
        let versions = migrations.files.map(\.version)
        switch migrations.layout {
        case .plain:
            return [File(path: "\(nextVersion(versions, timestamp: timestamp))_\(slug).sql", text: up)]
        case .golangMigrate:
            let version = nextVersion(versions, timestamp: timestamp)
            return [File(path: "\(version)_\(slug).up.sql", text: up), File(path: "\(version)_\(slug).down.sql", text: down)]
        case .flyway:
            let major = versions.compactMap { Int($0.split(whereSeparator: { $0 == "." || $0 == "_" }).first ?? "") }.max() ?? 0
            return [File(path: "V\(major + 1)__\(slug).sql", text: up)]
        case .goose:
            return [File(path: "\(nextVersion(versions, timestamp: timestamp))_\(slug).sql",
                         text: "-- +goose Up\n" + up + "\n-- +goose Down\n" + down)]
        case .dbmate:
            return [File(path: "\(later(timestamp, than: versions))_\(slug).sql", text: "-- migrate:up\n" + up + "\n-- migrate:down\n" + down)]
        case .atlas:
            return [File(path: "\(later(timestamp, than: versions))_\(slug).sql", text: up)]
        case .prisma:
            return [File(path: "\(later(timestamp, than: versions))_\(slug)/migration.sql", text: up)]
        case .diesel:
            let stamp = later(timestamp, than: versions.map { $0.filter(\.isNumber) })
            let chars = Array(stamp)
            let dashed = "\(String(chars[0..<4]))-\(String(chars[4..<6]))-\(String(chars[6..<8]))-\(String(chars[8..<14]))"
            return [File(path: "\(dashed)_\(slug)/up.sql", text: up), File(path: "\(dashed)_\(slug)/down.sql", text: down)]
        case .sqitch:
            throw Unsupported(message: """
                a Sqitch change needs an entry in sqitch.plan: run `sqitch add \(slug)` and paste the SQL that \
                `steward annotate --dry-run` prints into deploy/\(slug).sql
                """)
        }
    }

    /// The next version after the highest numeric one, as wide as it; a timestamp where the
    /// versions are timestamps (12 digits or more) or there are none.
    static func nextVersion(_ versions: [String], timestamp: String) -> String {
        let numeric = versions.filter { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        guard let highest = numeric.max(by: { ($0.count, $0) < ($1.count, $1) }), highest.count < 12, let value = Int(highest) else {
            return later(timestamp, than: versions)
        }
        let next = String(value + 1)
        return String(repeating: "0", count: max(0, highest.count - next.count)) + next
    }

    /// The timestamp, or one second after the newest version when that one is later (a clock
    /// behind the history must not sort the new migration before applied ones).
    static func later(_ timestamp: String, than versions: [String]) -> String {
        let newest = versions.filter { $0.count == timestamp.count && $0.allSatisfy(\.isNumber) }.max() ?? ""
        guard newest >= timestamp, let value = Int(newest) else { return timestamp }
        return String(value + 1)
    }
}
