import ArgumentParser
import Foundation
import StewardCore
import StewardLive
import StewardReporting

extension Cache {
    struct AuditKeys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Audit a live shared Redis: keys, memory and expiry per service, unprefixed and ambiguous keys.",
            discussion: """
                Iterates the keys with SCAN (never KEYS), attributes each to a service by its prefix (ownership.yml \
                `cache.prefixes`), and measures a sample with MEMORY USAGE and PTTL. Only reads. The URL comes from --redis \
                or REDIS_URL; the password is never printed. Exits 0 when every key belongs to exactly one service, 1 when \
                some do not, 2 on an input or connection error.
                """)

        @Option(name: .long, help: ArgumentHelp("redis://[user:password@]host[:port][/db] or unix:///path (default: REDIS_URL).", valueName: "url"))
        var redis: String?

        @Option(name: .long, help: "Ownership manifest (default: the first ownership.yml in the current directory or above).")
        var manifest: String?

        @Option(name: .long, help: ArgumentHelp("Stop after this many keys.", valueName: "n"))
        var maxKeys: Int = 1_000_000

        @Option(name: .long, help: ArgumentHelp("Measure about this many keys with MEMORY USAGE and PTTL (0: none).", valueName: "n"))
        var sample: Int = 1_000

        @Option(name: .long, help: "Output format: text or json.")
        var format: OutputFormat = .text

        func validate() throws {
            guard maxKeys > 0 else { throw ValidationError("--max-keys must be positive") }
            guard sample >= 0 else { throw ValidationError("--sample must not be negative") }
        }

        func run() throws {
            let (path, loaded) = Cache.manifest(manifest)
            guard let url = redis ?? ProcessInfo.processInfo.environment["REDIS_URL"], !url.isEmpty else {
                throw ValidationError("pass --redis URL (or set REDIS_URL)")
            }
            let showsProgress = isatty(STDERR_FILENO) == 1
            let audit: CacheAudit
            do throws(LiveError) {
                let connection = try RedisConnection(try RedisTarget(url: url))
                audit = try CacheAudit.run(connection, manifest: loaded, maxKeys: maxKeys, sample: sample) { scanned in
                    if showsProgress { FileHandle.standardError.write(Data("\rscanned \(scanned) keys…".utf8)) }
                }
            } catch {
                failWithLiveError(error)
            }
            if showsProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if audit.attribution.total == 0 {
                failWithInputErrors([InputError(path: RedisTarget.mask(url), message: "the database has no keys: nothing to audit")], colors: false)
            }
            writeOutput(format == .json ? CacheAuditReport.json(audit, manifest: path) : CacheAuditReport.text(audit, manifest: path))
            if !audit.isClean { throw ExitCode(ExitStatus.findings.rawValue) }
        }
    }
}
