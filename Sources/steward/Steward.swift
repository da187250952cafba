import ArgumentParser
import CAllocator
import Foundation
import StewardCore

@main
struct Steward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steward",
        abstract: "Schema governance for services that share one PostgreSQL database.",
        discussion: """
            Steward parses your SQL migrations with PostgreSQL's own parser, replays them into a schema \
            model, maps every object to the service that owns it (ownership.yml), and flags what crosses \
            service boundaries.

            Exit codes: 0 no error-level findings, 1 error-level findings, 2 usage or input error \
            (missing directory, invalid manifest).
            """,
        version: StewardVersionInfo.text,
        subcommands: [Check.self, Review.self, Model.self, Report.self, Annotate.self, Cache.self, Diff.self, Verify.self, Audit.self, Stats.self, Rules.self, Explain.self],
        defaultSubcommand: Check.self)

    /// Usage errors exit with 2 (not ArgumentParser's 64) so that CI can tell them from findings.
    static func main() {
        configureAllocator()
        rejectUnknownSubcommand(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.inputError.rawValue)
        }
    }
}

/// glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after
/// which big arrays (a window's parse results, the model's tables, tens of thousands of
/// findings) are carved from the heap, and once freed they stay in the process as
/// fragments. Fixing the threshold keeps blocks of 128 KiB and more in their own mappings,
/// returned to the system when freed: about 11 MB less peak memory on a 100k-statement check,
/// at no cost in time (docs/benchmarks.md).
///
/// The program's relocation table is dropped from its page tables as well: read once by the
/// dynamic linker, its 2.4 MB of file pages would stay resident to the end.
func configureAllocator() {
    _ = steward_fix_mmap_threshold(128 << 10)
    steward_release_relocation_table()
}

/// `steward version` names no command: with `check` as the default subcommand it would be
/// read as a directory called "version". A first argument that is neither an option, a
/// command nor an existing path is a usage error.
func rejectUnknownSubcommand(_ arguments: [String]) {
    guard let first = arguments.first, !first.hasPrefix("-") else { return }
    let commands = Steward.configuration.subcommands.compactMap { $0.configuration.commandName ?? "\($0)".lowercased() }
    guard !commands.contains(first), first != "help", !FileManager.default.fileExists(atPath: first) else { return }
    let message = "error: unknown command `\(first)` (and no directory of that name); commands: \(commands.joined(separator: ", ")); "
        + "`steward --version` prints the version\n"
    FileHandle.standardError.write(Data(message.utf8))
    Foundation.exit(ExitStatus.inputError.rawValue)
}

enum StewardVersionInfo {
    static let text = "steward 0.1.0 (PostgreSQL 15 parser via libpg_query)"
}

/// The documented exit codes.
enum ExitStatus: Int32 {
    case clean = 0
    case findings = 1
    case inputError = 2
}

/// Prints input errors as `path:line:col: error: message` to stderr and exits with 2.
func failWithInputErrors(_ errors: [InputError], colors: Bool) -> Never {
    for error in errors {
        let label = colors ? "\u{1B}[1;31merror\u{1B}[0m" : "error"
        FileHandle.standardError.write(Data("\(error.pathWithPosition): \(label): \(error.message)\n".utf8))
    }
    Foundation.exit(ExitStatus.inputError.rawValue)
}

extension InputError {
    var pathWithPosition: String {
        var text = path
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }
}
