import Foundation

/// A database Steward creates to apply migrations to, and drops afterwards: on a server the
/// user names (`--scratch-db`) or on a private one (`EphemeralServer`).
public final class ScratchDatabase {
    public let name: String
    public let server: ConnectionTarget
    /// Writable: migrations are applied through it.
    public let connection: PostgresConnection
    private let maintenance: PostgresConnection
    /// Guards `dropped`: `dropFromAnotherConnection` runs on a signal handler's thread.
    private let lock = NSLock()
    private var dropped = false

    /// True the first time only.
    private func markDropped() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if dropped { return false }
        dropped = true
        return true
    }

    /// Creates `steward_verify_<random>` through `server`'s own database.
    public init(on server: ConnectionTarget, prefix: String = "steward_verify") throws(LiveError) {
        let maintenance = try PostgresConnection(server)
        let name = "\(prefix)_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        // A database name cannot be a parameter; `name` is made of [a-z0-9_] above.
        try maintenance.query("CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8'")
        do {
            self.connection = try PostgresConnection(server, database: name)
        } catch {
            _ = try? maintenance.query("DROP DATABASE IF EXISTS \(name)")
            throw error
        }
        self.name = name
        self.server = server
        self.maintenance = maintenance
    }

    /// Drops the database (`WITH (FORCE)`: its own connection is still open). Idempotent.
    public func drop() {
        guard markDropped() else { return }
        _ = try? maintenance.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Drops the database through a new connection: what a signal handler may do while the
    /// command's own connections are busy (a libpq connection is not shared across threads).
    public func dropFromAnotherConnection() {
        guard markDropped() else { return }
        if let other = try? PostgresConnection(server) {
            _ = try? other.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    deinit { drop() }
}
