import ArgumentParser
import Foundation
import StewardCore
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

    var terminal: Terminal { Terminal(colors: format == .text && colorsAllowed(noColor: noColor, on: STDOUT_FILENO)) }

    /// Input errors go to stderr, which may be a terminal when stdout is not.
    var stderrColors: Bool { colorsAllowed(noColor: noColor, on: STDERR_FILENO) }
}

/// Color only for a terminal, never with --no-color nor when NO_COLOR is set (https://no-color.org).
func colorsAllowed(noColor: Bool, on descriptor: Int32) -> Bool {
    let noColorSet = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return !noColor && !noColorSet && isatty(descriptor) == 1
}

func writeOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// `text` to `output` when given (an unwritable file is an input error naming `what`), else to
/// standard output.
func writeDocument(_ text: String, to output: String?, what: String) {
    guard let output else { return writeOutput(text) }
    do {
        try ReportFile.write(output) { $0(text) }
    } catch {
        failWithInputErrors([InputError(path: output, message: "cannot write the \(what): \(error.localizedDescription)")], colors: false)
    }
}

/// A report written to a file in pieces, as standard output is.
enum ReportFile {
    struct CannotOpen: LocalizedError {
        var reason: String
        var errorDescription: String? { "\(reason) (does its folder exist, and may Steward write there?)" }
    }

    static func write(_ path: String, _ produce: ((String) -> Void) -> Void) throws {
        // open(2) truncates in place: a named pipe or /dev/stdout stays what it is (Foundation's
        // file creation would replace it with a regular file).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CannotOpen(reason: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? handle.close() }
        var output = ChunkedOutput(handle: handle)
        produce { output.write($0) }
        output.flush()
        if let failure = output.failure { throw failure }
    }
}

/// Output written in pieces of at least 64 KiB (standard output, or a report file): few system
/// calls, and a long report is never held in memory whole. Small pieces are gathered first; a
/// large one is written as it is, without another copy. Call `flush()` before exiting; the first
/// write error is kept in `failure`, and nothing more is written after it.
struct ChunkedOutput {
    private let handle: FileHandle
    private var pending = ""
    private(set) var failure: (any Error)?
    static let pieceSize = 1 << 16

    struct WriteFailure: LocalizedError {
        var reason: String
        var errorDescription: String? { reason }
    }

    init(handle: FileHandle = .standardOutput) { self.handle = handle }

    mutating func write(_ text: String) {
        if pending.utf8.count + text.utf8.count < Self.pieceSize {
            pending += text
            return
        }
        flush()
        var text = text
        text.withUTF8 { write($0) }
    }

    mutating func flush() {
        guard !pending.isEmpty else { return }
        var text = pending
        pending = ""
        text.withUTF8 { write($0) }
    }

    /// Writes all of `bytes` (a pipe or a terminal may take them in parts).
    private mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil, var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Foundation.write(handle.fileDescriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                failure = WriteFailure(reason: String(cString: strerror(errno)))
                return
            }
            next += written
            remaining -= written
        }
    }
}
