import Foundation

/// A private PostgreSQL for `steward verify --ephemeral`: `initdb` in a temporary directory,
/// listening only on a Unix socket there (no TCP), trust authentication for its own user,
/// durability off (it lives for one command). Run as the `postgres` user when Steward runs as
/// root, because PostgreSQL refuses to run as root. `stop()` removes everything.
public final class EphemeralServer {
    public let directory: URL
    public let target: ConnectionTarget
    private let binaries: URL
    private var stopped = false

    /// `binaries`: a PostgreSQL `bin` directory; default: the newest under /usr/lib/postgresql.
    public init(binaries: String? = nil) throws(LiveError) {
        guard let bin = binaries.map({ URL(fileURLWithPath: $0) }) ?? Self.installedBinaries() else {
            throw LiveError(.connection, "--ephemeral needs a PostgreSQL server installed (initdb and pg_ctl; Debian/Ubuntu: apt-get install postgresql)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-ephemeral-\(UUID().uuidString.prefix(8))")
        let socket = directory.appendingPathComponent("socket")
        do {
            try FileManager.default.createDirectory(at: socket, withIntermediateDirectories: true)
            if getuid() == 0 { try Self.run("/bin/chown", ["-R", "postgres:", directory.path], asPostgres: false) }
            try Self.run(bin.appendingPathComponent("initdb").path,
                         ["-D", directory.appendingPathComponent("data").path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
            try Self.run(bin.appendingPathComponent("pg_ctl").path, [
                "-D", directory.appendingPathComponent("data").path, "-l", directory.appendingPathComponent("server.log").path, "-w",
                "-o", "-c listen_addresses='' -k \(socket.path) -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start",
            ])
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw LiveError(.connection, "cannot start an ephemeral PostgreSQL: \(error)")
        }
        self.directory = directory
        self.binaries = bin
        self.target = ConnectionTarget("host=\(socket.path) user=postgres dbname=postgres")
    }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        try? Self.run(binaries.appendingPathComponent("pg_ctl").path, ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    static func installedBinaries() -> URL? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        return versions.lazy.map { URL(fileURLWithPath: "\(root)/\($0)/bin") }
            .first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) }
    }

    struct CommandFailed: Error, CustomStringConvertible {
        var description: String
    }

    private static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = true) throws {
        let process = Process()
        if asPostgres && getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: "\(URL(fileURLWithPath: executable).lastPathComponent) failed: \(String(decoding: output, as: UTF8.self).trimmingTrailingNewlines)")
        }
    }
}
