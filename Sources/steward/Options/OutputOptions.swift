import ArgumentParser
import Foundation
import StewardReporting

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// How results are printed.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Never color the output (also: the NO_COLOR environment variable).")
    var noColor = false

    /// Color only for a terminal, and never when NO_COLOR is set (https://no-color.org).
    var terminal: Terminal {
        let environment = ProcessInfo.processInfo.environment
        let noColorSet = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Terminal(colors: !noColor && !noColorSet && isatty(STDOUT_FILENO) == 1 && format == .text)
    }
}

func writeOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
