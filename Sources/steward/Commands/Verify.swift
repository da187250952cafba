import ArgumentParser
import Dispatch
import Foundation
import StewardCore
import StewardLive
import StewardReporting

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the migrations to a scratch PostgreSQL and check the model against its catalog.",
        discussion: """
            Creates a temporary database (--scratch-db: on that server, which must let the user CREATE DATABASE; \
            --ephemeral: on a private server started with initdb), applies the migrations as their tool would, \
            compares the catalog with Steward's model, and drops the database (also on failure and Ctrl-C). \
            Exit codes: 0 the model and PostgreSQL agree, 1 a disagreement or a migration PostgreSQL rejects, \
            2 an input or connection error.
            """)

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: ArgumentHelp("Server on which to create the scratch database (connection string or URL).", valueName: "url"))
    var scratchDb: String?

    @Flag(name: .long, help: "Start a private PostgreSQL for the run (needs initdb and pg_ctl).")
    var ephemeral = false

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: LiveOutputFormat = .text

    func validate() throws {
        if (scratchDb == nil) == !ephemeral {
            throw ValidationError("pass either --scratch-db URL or --ephemeral")
        }
    }

    func run() throws {
        let analysis: Analysis
        do {
            analysis = try Analyzer.analyze(input.analysisOptions())
        } catch {
            failWithInputErrors(error.errors, colors: false)
        }
        guard !analysis.migrations.files.isEmpty else {
            failWithInputErrors([InputError(path: input.directory, message: "no migrations found to verify")], colors: false)
        }
        let comparison: LiveComparison
        do throws(LiveError) {
            let server = ephemeral ? try EphemeralServer() : nil
            let scratch = try ScratchDatabase(on: server?.target ?? ConnectionTarget(scratchDb ?? ""))
            let cleanup = Cleanup { scratch.dropFromAnotherConnection(); server?.stop() }
            defer { cleanup.run() }
            comparison = try Verification.run(analysis, in: scratch)
        } catch {
            failWithLiveError(error)
        }
        writeLiveComparison(comparison, format: format, directory: input.directory)
    }
}

/// Prints `comparison` and exits 1 when it found something.
func writeLiveComparison(_ comparison: LiveComparison, format: LiveOutputFormat, directory: String) {
    let paths = RepositoryPaths(root: format == .text ? FileManager.default.currentDirectoryPath : RepositoryRoot.of(directory),
                                workingDirectory: FileManager.default.currentDirectoryPath)
    let reporter = LiveComparisonReporter(paths: paths)
    switch format {
    case .text: writeOutput(reporter.renderText(comparison))
    case .json: writeOutput(reporter.renderJSON(comparison))
    case .markdown: writeOutput(reporter.renderMarkdown(comparison))
    }
    if comparison.hasProblems { Foundation.exit(ExitStatus.findings.rawValue) }
}

/// Runs `action` once: at the end of the command, or on Ctrl-C / SIGTERM (then exits 130 / 143),
/// so that a scratch database or an ephemeral server never outlives the command.
final class Cleanup: @unchecked Sendable {
    // `lock` guards `done`: the signal sources fire on another queue than the command.
    private let lock = NSLock()
    private var done = false
    private let action: () -> Void
    private var sources: [DispatchSourceSignal] = []

    init(_ action: @escaping () -> Void) {
        self.action = action
        for (signalNumber, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                self?.run()
                Foundation.exit(status)
            }
            source.resume()
            sources.append(source)
        }
    }

    func run() {
        lock.lock()
        let first = !done
        done = true
        lock.unlock()
        if first { action() }
    }
}
