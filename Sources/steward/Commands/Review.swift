import ArgumentParser
import Foundation
import StewardCore
import StewardReporting

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review a change before opening a pull request: per touched service, the schema diff, findings, new dependencies and approvers.",
        discussion: """
            Replays the migrations as they are at the base (read from git, not the work tree) and as they are in the work \
            tree, and prints, per service the change touches: objects added, changed and dropped; the findings in the changed \
            migrations; cross-service dependencies added or removed; who must approve (with their status given --approved-by \
            or --reviews). Exits 1 when a changed migration has an error-level finding, 0 otherwise, 2 on an input error.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var approval: ApprovalOptions

    @Option(name: .long, help: ArgumentHelp("The base to compare with (default: the merge base with main, else origin/main).", valueName: "git-ref"))
    var base: String?

    @Flag(name: .long, help: "Never color the output (also: the NO_COLOR environment variable).")
    var noColor = false

    func run() throws {
        let stderrColors = colorsAllowed(noColor: noColor, on: STDERR_FILENO)
        guard let manifest = input.resolvedManifest() else {
            failWithInputErrors([InputError(path: input.directory, message: """
                no \(ManifestLoader.fileName) found (searched \(input.manifestSearchStarts.joined(separator: " and ")) and their parents); \
                a review is per service: pass --manifest
                """)], colors: stderrColors)
        }
        guard FileManager.default.fileExists(atPath: input.directory) else {
            failWithInputErrors([InputError(path: input.directory, message: "no such directory; pass the folder that holds your migrations (default: schema/)")],
                                colors: stderrColors)
        }
        let reference: String
        if let base {
            reference = base
        } else if let found = ["main", "origin/main"].first(where: { MigrationHistory.resolve($0, in: input.directory) != nil }) {
            reference = found
        } else {
            failWithInputErrors([InputError(path: input.directory, message: "no --base given and neither main nor origin/main exists here; pass --base REF")],
                                colors: stderrColors)
        }

        var options = input.analysisOptions(keepModel: true)
        options.manifestPath = manifest
        options.since = reference
        options.approvals = approval.input(colors: stderrColors)
        let head: Analysis
        do { head = try Analyzer.analyze(options) } catch { failWithInputErrors(error.errors, colors: stderrColors) }
        guard let history = head.history else { throw ExitCode(ExitStatus.inputError.rawValue) }

        var baseModel = SchemaModel()
        var baseMigrations = MigrationSet(directory: "", layout: head.migrations.layout, files: [])
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("steward-review-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            if try MigrationHistory.export(directory: input.directory, at: history.baseCommit, to: scratch.path) {
                var baseOptions = AnalysisOptions(directory: scratch.path, manifestPath: manifest, layout: head.migrations.layout, keepModel: true)
                // Only the model is needed at the base: no rule runs there.
                baseOptions.configuration = RuleConfiguration(select: [Diagnostic.syntaxError.id])
                // No migrations at the base (an error here): the change creates everything.
                if let base = try? Analyzer.analyze(baseOptions) {
                    baseModel = base.model
                    baseMigrations = base.migrations
                }
            }
        } catch {
            failWithInputErrors([error], colors: stderrColors)
        }

        let settings = RuleSettings(history: history, review: options.approvals)
        let review = StewardCore.Review.build(base: baseModel, baseMigrations: baseMigrations, head: head, settings: settings)
        let paths = RepositoryPaths(root: RepositoryRoot.of(input.directory), workingDirectory: FileManager.default.currentDirectoryPath)
        writeOutput(ReviewReporter(terminal: Terminal(colors: colorsAllowed(noColor: noColor, on: STDOUT_FILENO)), paths: paths).render(review))
        if head.errorCount > 0 { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
