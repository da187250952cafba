import ArgumentParser
import CAllocator
import Foundation
import StewardCore
import StewardLive
import StewardReporting

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check migrations against the ownership manifest and report findings.",
        discussion: """
            Exits 0 when there is no error-level finding, 1 when there is one (or a warning, with --fail-on warning), 2 on a \
            usage or input error. Findings covered by `boundaries.allow` in ownership.yml or by a `steward:ignore` comment are \
            hidden unless --show-allowed.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var report: ReportOptions

    @Flag(name: .long, help: "Also show findings covered by a documented exception (boundaries.allow, steward:ignore).")
    var showAllowed = false

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Run only these rules or categories (ids or categories, comma- or space-separated).",
        discussion: "Also turns on rules that are off by default, e.g. --select missing-down-migration.", valueName: "rule"))
    var select: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Never run these rules or categories.", valueName: "rule"))
    var ignore: [String] = []

    @Option(name: .customLong("fail-on"), help: "Exit 1 on findings of this severity or worse: error (default) or warning.")
    var failOn: FailLevel = .error

    @Option(name: .customLong("pg-version"), help: "PostgreSQL major version the migrations run on (default 15); lock rules depend on it.")
    var postgresVersion: Int = 15

    @Option(name: .long, help: ArgumentHelp(
        "Report only migrations added or changed since the merge base with this git ref (a pull request's base).",
        discussion: """
            The model is still replayed from every migration. Tables created in those pending files count as new, so lock \
            rules are silent on them; an edited migration that existed at the ref is modified-applied-migration, and a new \
            one that sorts before the newest one at the ref is out-of-order-migration. Needs git.
            """, valueName: "git-ref"))
    var since: String?

    @OptionGroup var approval: ApprovalOptions

    @Option(name: .long, help: ArgumentHelp(
        "Weigh lock findings by table size, from a file `steward stats` wrote.",
        discussion: "A lock on a table under --small-table-rows rows is info, from --large-table-rows on an error; each lock finding says the table's size.",
        valueName: "file"))
    var stats: String?

    @Option(name: .long, help: ArgumentHelp(
        "Weigh lock findings by table size read from this live database (read only), as --stats does from a file.",
        valueName: "url"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("With --stats: tables under this many rows are small (default 10000).", valueName: "rows"))
    var smallTableRows: Int64 = 10_000

    @Option(name: .long, help: ArgumentHelp("With --stats: tables from this many rows on are large (default 1000000).", valueName: "rows"))
    var largeTableRows: Int64 = 1_000_000

    @Flag(name: .long, help: ArgumentHelp(
        "Do not read or write the cache.",
        discussion: """
            The cache (STEWARD_CACHE_DIR, else $XDG_CACHE_HOME/steward, else ~/.cache/steward) holds a parse tree per \
            migration file and the findings of whole runs, keyed by content; it is safe to delete.
            """))
    var noCache = false

    func validate() throws {
        let names = RuleConfiguration.knownNames
        for name in selectedNames + ignoredNames where !names.contains(name) {
            throw ValidationError("unknown rule or category `\(name)`; `steward rules` lists them")
        }
        guard (9...18).contains(postgresVersion) else { throw ValidationError("--pg-version \(postgresVersion): expected a major version from 9 to 18") }
        if input.noManifest, input.manifest != nil { throw ValidationError("--manifest and --no-manifest exclude each other") }
        _ = try report.destinations()
        if stats != nil, db != nil { throw ValidationError("--stats and --db exclude each other") }
        guard smallTableRows >= 0, largeTableRows > smallTableRows else {
            throw ValidationError("--large-table-rows must be greater than --small-table-rows")
        }
    }

    private static func names(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private var selectedNames: [String] { Self.names(select) }
    private var ignoredNames: [String] { Self.names(ignore) }

    func run() throws {
        if !input.noManifest, input.resolvedManifest() == nil {
            failWithInputErrors([InputError(path: input.directory, message: """
                no \(ManifestLoader.fileName) found (searched \(input.manifestSearchStarts.joined(separator: " and ")) and their \
                parents); pass --manifest, or --no-manifest to check migrations alone
                """)], colors: report.colors(on: STDERR_FILENO))
        }
        var analysis: Analysis
        let clock = PhaseClock.fromEnvironment()
        var statistics: DatabaseStatistics?
        do {
            statistics = try stats.map { path throws(InputError) in try DatabaseStatistics.load(path: path) }
        } catch {
            failWithInputErrors([error], colors: report.colors(on: STDERR_FILENO))
        }
        if let db {
            do throws(LiveError) {
                statistics = try StatisticsReader.read(try InspectionSession(try PostgresConnection(ConnectionTarget(db))))
            } catch {
                failWithLiveError(error)
            }
        }
        let onPhaseEnd: @Sendable (AnalysisPhase) -> Void = { phase in
            // The files' text and the replay's indexes were just freed, in pieces spread over the
            // heap: hand those pages back before the rules allocate their findings.
            if phase == .parseAndReplay { steward_release_free_memory() }
            clock?.lap(phase)
        }
        let cache = noCache ? nil : ResultCache(directory: ResultCache.defaultDirectory(
            environment: ProcessInfo.processInfo.environment, home: FileManager.default.homeDirectoryForCurrentUser),
            toolIdentity: BuildIdentity.current)
        var options = input.analysisOptions(showAllowed: showAllowed, cache: cache, keepModel: false, onPhaseEnd: onPhaseEnd)
        options.configuration = RuleConfiguration(select: selectedNames, ignore: ignoredNames)
        options.postgresVersion = postgresVersion
        options.since = since
        options.approvals = approval.input(colors: report.colors(on: STDERR_FILENO))
        // The report reads again the files it quotes: the rules run without every file in memory.
        options.releaseSources = true
        if noCache {
            // steward exits after the report: the model is left to the exit, not torn down value
            // by value on a core the sorting and the report use. (With the cache, its memory is
            // freed for the entry written while the report is printed.)
            options.retireModel = { model in KeptUntilExit.keep(model) }
        }
        do {
            analysis = try Analyzer.analyze(options)
        } catch {
            failWithInputErrors(error.errors, colors: report.colors(on: STDERR_FILENO))
        }
        if let statistics {
            analysis.findings = LockWeighting(smallRows: smallTableRows, largeRows: largeTableRows).apply(to: analysis.findings, statistics: statistics)
        }
        let destinations = try report.destinations()
        let workingDirectory = FileManager.default.currentDirectoryPath
        // Text prints paths as given; only the other formats need the repository root (a git subprocess).
        let root = destinations.allSatisfy { $0.format == .text } ? workingDirectory : RepositoryRoot.of(input.directory)
        let checked = CheckReport(analysis: analysis, paths: RepositoryPaths(root: root, workingDirectory: workingDirectory),
                                  failLevel: failOn == .warning ? .warning : .error,
                                  fingerprinted: destinations.contains { $0.format.printsFingerprints })
        for (format, file) in destinations {
            var reporter = format.reporter
            if format == .text, file == nil { reporter = TextReporter(terminal: Terminal(colors: report.colors(on: STDOUT_FILENO))) }
            if let file {
                do {
                    try ReportFile.write(file) { emit in reporter.write(checked, to: emit) }
                } catch {
                    failWithInputErrors([InputError(path: file, message: "cannot write the \(format.rawValue) report: \(error.localizedDescription)")],
                                        colors: report.colors(on: STDERR_FILENO))
                }
            } else {
                var standardOutput = ChunkedOutput()
                reporter.write(checked) { standardOutput.write($0) }
                standardOutput.flush()
            }
        }
        clock?.lap(named: "output")
        if let pending = analysis.pendingCacheWrite {
            pending.wait()
            clock?.lap(named: "cache write")
        }
        clock?.report()
        // Like the model (`retireModel`), the findings and the files' text are left to the
        // exit: freeing 50,000 findings one by one takes the main core tens of milliseconds.
        KeptUntilExit.keep(checked)
        if analysis.errorCount > 0 || (failOn == .warning && analysis.warningCount > 0) { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}

enum FailLevel: String, ExpressibleByArgument, CaseIterable {
    case error, warning
}

/// The running executable's size and modification time: a rebuilt Steward (whose rules may
/// differ) never reads results that an earlier build cached.
enum BuildIdentity {
    static var current: String {
        // /proc/self/exe is a link (whose own times are the process's): read the file it names.
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              let attributes = try? FileManager.default.attributesOfItem(atPath: executable) else { return StewardVersionInfo.text }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(StewardVersionInfo.text) \(size) \(modified)"
    }
}

/// Values deliberately kept alive until the process exits (see `AnalysisOptions.retireModel`),
/// never torn down value by value. A global holds them rather than a reference let go of:
/// they stay reachable, which is what LeakSanitizer (`scripts/sanitize`) tells from a leak.
private enum KeptUntilExit {
    // nonisolated(unsafe): `lock` guards every access.
    nonisolated(unsafe) private static var values: [any Sendable] = []
    private static let lock = NSLock()

    static func keep(_ value: any Sendable) { lock.withLock { values.append(value) } }
}
