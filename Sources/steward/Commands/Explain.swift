import ArgumentParser
import StewardCore
import StewardReporting

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain one rule: why it matters, the safe alternative, examples.")

    @Argument(help: "Rule id, e.g. cross-service-foreign-key.")
    var ruleID: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let rule = RuleRegistry.rule(id: ruleID) else {
            throw ValidationError("unknown rule `\(ruleID)`; `steward rules` lists them")
        }
        writeOutput(output.format == .json ? RuleDocumentation.explainJSON(rule) : RuleDocumentation(terminal: output.terminal).explain(rule))
    }
}
