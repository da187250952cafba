import Dispatch
import Foundation
import StewardCore
import StewardReporting

/// The migrations a live comparison starts from; an input error, or no migrations at all
/// (nothing to `compare`), exits 2.
func analyzedMigrations(_ input: InputOptions, purpose: String) -> Analysis {
    let analysis: Analysis
    do {
        analysis = try Analyzer.analyze(input.analysisOptions())
    } catch {
        failWithInputErrors(error.errors, colors: false)
    }
    guard !analysis.migrations.files.isEmpty else {
        failWithInputErrors([InputError(path: input.directory, message: "no migrations found to \(purpose)")], colors: false)
    }
    return analysis
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
    // `lock` guards `done` and `interrupted`: the signal sources fire on another queue than the command.
    private static let lock = NSLock()
    nonisolated(unsafe) private static var interrupted = false
    private var done = false
    private let action: () -> Void
    private var sources: [DispatchSourceSignal] = []

    /// Set once a signal arrived: the command's own work then fails (its database is being
    /// dropped under it), and must leave the exit to the signal handler.
    static var wasInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return interrupted
    }

    init(_ action: @escaping () -> Void) {
        self.action = action
        for (signalNumber, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                Self.lock.lock()
                Self.interrupted = true
                Self.lock.unlock()
                self?.run()
                FileHandle.standardError.write(Data("steward: interrupted; the scratch database was dropped\n".utf8))
                Foundation.exit(status)
            }
            source.resume()
            sources.append(source)
        }
    }

    func run() {
        Self.lock.lock()
        let first = !done
        done = true
        Self.lock.unlock()
        if first { action() }
    }
}
