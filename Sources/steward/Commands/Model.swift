import ArgumentParser
import StewardCore
import StewardReporting

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the schema the migrations build, grouped by owning service.",
        discussion: "Also lists what was not modelled (statements, non-SQL migrations) and replay issues. Exits 0 unless the input is unusable (2).")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let analysis: Analysis
        do {
            analysis = try Analyzer.analyze(input.analysisOptions())
        } catch {
            failWithInputErrors(error.errors, colors: output.stderrColors)
        }
        let reporter = ModelReporter(terminal: output.terminal)
        writeOutput(output.format == .json ? reporter.renderJSON(analysis) : reporter.renderText(analysis))
    }
}
