import ArgumentParser
import StewardCore
import StewardReporting

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every rule with its id, category and default severity.")

    @OptionGroup var output: OutputOptions

    func run() throws {
        writeOutput(output.format == .json ? RuleDocumentation.listJSON() : RuleDocumentation(terminal: output.terminal).list())
    }
}
