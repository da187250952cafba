import ArgumentParser
import Foundation
import StewardCore
import StewardReporting

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check migrations against the ownership manifest and report findings.",
        discussion: """
            Exits 0 when there is no error-level finding, 1 when there is one, 2 on a usage or input error. \
            Findings covered by `boundaries.allow` in ownership.yml are hidden unless --show-allowed.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Also show findings covered by a documented exception (boundaries.allow).")
    var showAllowed = false

    @Flag(name: .long, help: ArgumentHelp(
        "Do not read or write the cache.",
        discussion: """
            The cache (STEWARD_CACHE_DIR, else $XDG_CACHE_HOME/steward, else ~/.cache/steward) holds a parse tree per \
            migration file and the findings of whole runs, keyed by content; it is safe to delete.
            """))
    var noCache = false

    func run() throws {
        let analysis: Analysis
        let clock = PhaseClock.fromEnvironment()
        var onPhaseEnd: (@Sendable (AnalysisPhase) -> Void)?
        if let clock { onPhaseEnd = { clock.lap($0) } }
        let cache = noCache ? nil : ResultCache(directory: ResultCache.defaultDirectory(
            environment: ProcessInfo.processInfo.environment, home: FileManager.default.homeDirectoryForCurrentUser))
        let options = input.analysisOptions(showAllowed: showAllowed, cache: cache, keepModel: false, onPhaseEnd: onPhaseEnd)
        do {
            analysis = try Analyzer.analyze(options)
        } catch {
            failWithInputErrors(error.errors, colors: output.stderrColors)
        }
        clock?.report()
        switch output.format {
        case .text:
            var standardOutput = ChunkedOutput()
            TextReporter(terminal: output.terminal).write(analysis) { standardOutput.write($0) }
            standardOutput.flush()
        case .json: writeOutput(JSONReporter().render(analysis))
        }
        if analysis.errorCount > 0 { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
