import ArgumentParser
import Foundation
import StewardCore
import StewardReporting

struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The shared cache: which service each key belongs to.",
        subcommands: [Attribute.self, AuditKeys.self])

    /// The cache commands' manifest: `explicit`, else the first ownership.yml in the current
    /// directory or above; its path as shown, and its contents. Exits 2 when there is none.
    static func manifest(_ explicit: String?) -> (path: String, manifest: OwnershipManifest) {
        let found = ancestor(of: FileManager.default.currentDirectoryPath, containing: ManifestLoader.fileName)
            .map { relativeToCurrentDirectory($0.appendingPathComponent(ManifestLoader.fileName).path) }
        guard let path = explicit ?? found else {
            failWithInputErrors([InputError(path: FileManager.default.currentDirectoryPath,
                                            message: "no \(ManifestLoader.fileName) found here or above; pass --manifest")], colors: false)
        }
        do { return (path, try ManifestLoader.load(path: path)) } catch { failWithInputErrors(error.errors, colors: false) }
    }

    struct Attribute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attribute cache keys to services by their prefixes (ownership.yml `cache.prefixes`).",
            discussion: """
                Reads one key per line (`redis-cli --scan > keys.txt`; `-` reads standard input) and counts the keys of each \
                service, the keys no prefix matches and the keys that match two services' prefixes. Exits 0 when every key \
                belongs to exactly one service, 1 when some do not, 2 on an input error.
                """)

        @Option(name: .long, help: ArgumentHelp("File of keys, one per line (- for standard input).", valueName: "file"))
        var keys: String

        @Option(name: .long, help: "Ownership manifest (default: the first ownership.yml in the current directory or above).")
        var manifest: String?

        @Option(name: .long, help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() throws {
            let (path, loaded) = Cache.manifest(manifest)
            var attribution = CacheKeyAttribution(manifest: loaded)
            do {
                try KeyLines.read(keys) { attribution.add($0) }
            } catch {
                failWithInputErrors([InputError(path: keys, message: "cannot read the keys: \(error.localizedDescription)")], colors: false)
            }
            if attribution.total == 0 {
                failWithInputErrors([InputError(path: keys, message: "no keys in the file; export them with `redis-cli --scan > keys.txt`")], colors: false)
            }
            writeOutput(format == .json ? CacheAttributionReport.json(attribution, manifest: path)
                                        : CacheAttributionReport.text(attribution, keysFile: keys, manifest: path))
            if !attribution.isClean { throw ExitCode(ExitStatus.findings.rawValue) }
        }
    }
}

/// Lines of a keys file, read in blocks (an export of millions of keys is never held whole).
enum KeyLines {
    struct Unreadable: LocalizedError {
        var reason: String
        var errorDescription: String? { reason }
    }

    static func read(_ path: String, _ each: (ArraySlice<UInt8>) -> Void) throws {
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Unreadable(reason: String(cString: strerror(errno))) }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        func emit(_ line: ArraySlice<UInt8>) {
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if !trimmed.isEmpty { each(trimmed) }
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Unreadable(reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            pending += buffer[..<count]
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        emit(pending[...])
    }
}
