import ArgumentParser
import Foundation
import StewardReporting

/// The formats `steward check` writes.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, github, markdown, junit

    /// Whether the format prints each finding's fingerprint.
    var printsFingerprints: Bool { self == .json || self == .sarif }

    var reporter: any Reporter {
        switch self {
        case .text: TextReporter(terminal: Terminal(colors: false))
        case .json: JSONReporter()
        case .sarif: SARIFReporter()
        case .github: GitHubReporter()
        case .markdown: MarkdownReporter()
        case .junit: JUnitReporter()
        }
    }
}

/// `--format X [--output FILE]`, repeatable: one analysis, several reports.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Output format: text, json, sarif, github, markdown or junit (repeatable).",
        discussion: """
            Each --output FILE that follows a --format writes that format to FILE; a --format without one writes to \
            standard output (at most one may). Example: --format github --format sarif --output steward.sarif.
            """, valueName: "format"))
    var format: [ReportFormat] = []

    @Option(name: .long, help: ArgumentHelp("Write the preceding --format to this file instead of standard output.", valueName: "file"),
            completion: .file())
    var output: [String] = []

    @Flag(name: .long, help: "Never color the output (also: the NO_COLOR environment variable).")
    var noColor = false

    /// Each format with the file it goes to (nil: standard output), in the order given.
    /// The pairing needs the order in which `--format` and `--output` were written, which
    /// the parsed arrays do not keep: it is read from the raw arguments.
    func destinations(arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws -> [(format: ReportFormat, file: String?)] {
        var pairs: [(format: ReportFormat, file: String?)] = []
        var formats = format.makeIterator(), outputs = output.makeIterator()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { break }
            let option = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            let inlineValue = argument.contains("=")
            if option == "--format" {
                guard let next = formats.next() else { break }
                pairs.append((next, nil))
                if !inlineValue { index += 1 }
            } else if option == "--output" {
                guard let file = outputs.next() else { break }
                if !inlineValue { index += 1 }
                if pairs.isEmpty { pairs.append((.text, nil)) }
                guard pairs[pairs.count - 1].file == nil else {
                    throw ValidationError("--output \(file): the --format before it already has an output file; write --format X --output FILE for each report")
                }
                pairs[pairs.count - 1].file = file
            }
        }
        if pairs.isEmpty { pairs.append((.text, nil)) }
        if pairs.filter({ $0.file == nil }).count > 1 {
            throw ValidationError("only one --format can write to standard output; give the others an --output FILE")
        }
        let files = pairs.compactMap(\.file)
        if Set(files).count != files.count { throw ValidationError("two reports would write the same --output file") }
        return pairs
    }

    func colors(on descriptor: Int32) -> Bool { colorsAllowed(noColor: noColor, on: descriptor) }
}

/// The root of the git repository holding `directory` (CI annotations and SARIF need paths
/// relative to it), else the current directory. Found as git finds it, by walking up to the
/// folder that holds `.git` (a directory, or a file in worktrees and submodules): no git
/// subprocess, which would cost a short run half its time.
enum RepositoryRoot {
    static func of(_ directory: String) -> String {
        ancestor(of: directory, containing: ".git")?.path ?? FileManager.default.currentDirectoryPath
    }
}
