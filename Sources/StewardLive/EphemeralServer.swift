import Foundation

/// A private PostgreSQL for `steward verify --ephemeral`: `initdb` in a temporary directory,
/// listening only on a Unix socket there (no TCP), trust authentication for its own user,
/// durability off (it lives for one command). Run as the `postgres` user when Steward runs as
/// root, because PostgreSQL refuses to run as root. `stop()` removes everything.
public final class EphemeralServer {
    public let directory: URL
    public let target: ConnectionTarget
    private let binaries: URL
    /// Guards `stopped`: `stop()` may run on a signal handler's thread (Ctrl-C).
    private let lock = NSLock()
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
        lock.lock()
        let first = !stopped
        stopped = true
        lock.unlock()
        guard first else { return }
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

    /// Runs a program to completion with posix_spawn and waitpid. Its standard error goes to a
    /// file, not a pipe: `pg_ctl start` leaves a server running that could inherit a pipe and
    /// keep it open, and Foundation's `Process` was seen waiting forever on such a child.
    private static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = true) throws {
        let argv = asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("steward-spawn-\(UUID().uuidString)").path
        defer { unlink(errorFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid = pid_t()
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw CommandFailed(description: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        let exited = status & 0x7f == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let output = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            throw CommandFailed(description: "\(URL(fileURLWithPath: executable).lastPathComponent) failed: \(output.trimmingTrailingNewlines)")
        }
    }
}
