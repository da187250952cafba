import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import StewardSQL

/// Problems with the input that stop Steward before it can check anything (exit code 2).
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}

/// A directory of migrations: its entries, read lazily, with paths shown as the user typed them.
struct MigrationDirectory {
    let root: URL
    let displayRoot: String
    /// Top-level entry names, sorted.
    let entries: [String]
    let fileManager = FileManager.default
    /// Contents read ahead on all cores (see `prefetch`); `read` serves them first.
    private let prefetched = Prefetched()

    final class Prefetched: @unchecked Sendable {
        var contents: [String: [UInt8]] = [:]
    }

    init(path: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(path: path, message: "no such directory; pass the folder that holds your migrations (default: schema/)")
        }
        guard isDirectory.boolValue else {
            throw InputError(path: path, message: "is a file, not a directory; pass the folder that holds your migrations")
        }
        root = URL(fileURLWithPath: path, isDirectory: true)
        displayRoot = path.hasSuffix("/") ? String(path.dropLast()) : path
        do {
            entries = try fileManager.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw InputError(path: path, message: "cannot list directory: \(error.localizedDescription)")
        }
    }

    func displayPath(_ relative: String) -> String { displayRoot + "/" + relative }

    enum EntryKind { case regular, directory, other, missing }

    /// What an entry is once symbolic links are followed (a dangling link is `missing`).
    /// FIFOs and devices are `other`: reading one could block forever.
    func kind(_ relative: String) -> EntryKind {
        var status = stat()
        guard stat(root.appendingPathComponent(relative).path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    func isDirectory(_ relative: String) -> Bool { kind(relative) == .directory }

    func isRegularFile(_ relative: String) -> Bool { kind(relative) == .regular }

    /// Top-level `.sql` entries that are not directories (a directory named `x.sql` is not a
    /// migration). Dangling links and FIFOs are kept so that reading them reports the problem.
    var sqlFiles: [String] { entries.filter { $0.hasSuffix(".sql") && !isDirectory($0) } }

    /// Every regular file below the root (Flyway scans locations recursively), skipping
    /// hidden directories and not following symbolic-link loops.
    func recursiveFiles() -> [String] {
        var result: [String] = []
        var visited = Set<String>()
        func walk(_ relative: String, depth: Int) {
            let url = relative.isEmpty ? root : root.appendingPathComponent(relative)
            let resolved = url.resolvingSymlinksInPath().path
            guard depth < 32, visited.insert(resolved).inserted,
                  let children = try? fileManager.contentsOfDirectory(atPath: url.path) else { return }
            for child in children.sorted() where !child.hasPrefix(".") {
                let childPath = relative.isEmpty ? child : relative + "/" + child
                if isDirectory(childPath) { walk(childPath, depth: depth + 1) } else { result.append(childPath) }
            }
        }
        walk("", depth: 0)
        return result
    }

    /// Reads regular files in parallel ahead of the layout reader, which then asks for them
    /// one by one in its own order. Files that cannot be read are left for `read` to report.
    func prefetch(_ relatives: [String]) {
        let results = UnsafeMutableBufferPointer<[UInt8]?>.allocate(capacity: relatives.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize().deallocate() }
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: relatives.count) { index in
            guard kind(relatives[index]) == .regular,
                  let handle = FileHandle(forReadingAtPath: root.appendingPathComponent(relatives[index]).path) else { return }
            defer { try? handle.close() }
            slots[index] = (try? handle.readToEnd()).map { Array($0 ?? Data()) }
        }
        for (relative, contents) in zip(relatives, results) where contents != nil { prefetched.contents[relative] = contents }
    }

    func read(_ relative: String) -> Result<[UInt8], InputError> {
        if let contents = prefetched.contents.removeValue(forKey: relative) { return .success(contents) }
        let url = root.appendingPathComponent(relative)
        switch kind(relative) {
        case .regular: break
        case .missing:
            return .failure(InputError(path: displayPath(relative), message: "cannot read file: it does not exist (a dangling symbolic link?)"))
        case .directory, .other:
            return .failure(InputError(path: displayPath(relative), message: "not a regular file (a FIFO, socket or device); Steward does not read it"))
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            return .failure(InputError(path: displayPath(relative), message: "cannot read file (permission denied or not a regular file)"))
        }
        defer { try? handle.close() }
        do {
            return .success(Array(try handle.readToEnd() ?? Data()))
        } catch {
            return .failure(InputError(path: displayPath(relative), message: "cannot read file: \(error.localizedDescription)"))
        }
    }

    /// The first bytes of a file, for layout detection.
    func peek(_ relative: String, bytes: Int = 4096) -> String {
        guard kind(relative) == .regular, let handle = FileHandle(forReadingAtPath: root.appendingPathComponent(relative).path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: bytes)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Blanks a byte range while keeping line breaks, so offsets and line numbers still match the file.
func blank(_ bytes: inout [UInt8], _ range: Range<Int>) {
    for index in range where bytes[index] != UInt8(ascii: "\n") && bytes[index] != UInt8(ascii: "\r") {
        bytes[index] = UInt8(ascii: " ")
    }
}

/// Lines of a file as byte ranges (without the `\n`).
func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
        ranges.append(start..<index)
        start = index + 1
    }
    if start <= bytes.count { ranges.append(start..<bytes.count) }
    return ranges
}

/// A `--` comment line, trimmed and lowercased (for matching tool annotations); nil for any
/// other line, without building a string: most lines of a migration are not comments.
func commentLine(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
    var start = range.lowerBound
    while start < range.upperBound, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    guard range.upperBound - start >= 2, bytes[start] == UInt8(ascii: "-"), bytes[start + 1] == UInt8(ascii: "-") else { return nil }
    return String(decoding: bytes[start..<range.upperBound], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
}
