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
///
/// Paths are joined as strings and files read with POSIX calls: `URL` path arithmetic and
/// `FileHandle` cost more than the reads themselves on a few thousand small files.
struct MigrationDirectory: Sendable {
    /// The directory as a path without a trailing slash (`/` stays `/`).
    let rootPath: String
    let displayRoot: String
    /// Top-level entry names, sorted.
    let entries: [String]
    /// Top-level `.sql` entries that are not directories (a directory named `x.sql` is not a
    /// migration). Dangling links and FIFOs are kept so that reading them reports the problem.
    let sqlFiles: [String]
    /// Contents read ahead on all cores (see `prefetch`); `read` serves them first.
    private let prefetched = Prefetched()

    /// Sendable because every access to `contents` holds `lock`.
    final class Prefetched: @unchecked Sendable {
        private let lock = NSLock()
        private var contents: [String: [UInt8]] = [:]

        func store(_ bytes: [UInt8], for relative: String) {
            lock.lock()
            defer { lock.unlock() }
            contents[relative] = bytes
        }

        func take(_ relative: String) -> [UInt8]? {
            lock.lock()
            defer { lock.unlock() }
            return contents.removeValue(forKey: relative)
        }
    }

    init(path: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(path: path, message: "no such directory; pass the folder that holds your migrations (default: schema/)")
        }
        guard isDirectory.boolValue else {
            throw InputError(path: path, message: "is a file, not a directory; pass the folder that holds your migrations")
        }
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        rootPath = trimmed
        displayRoot = path.hasSuffix("/") ? String(path.dropLast()) : path
        let listed: [(name: String, isDirectory: Bool?)]
        switch Self.list(path) {
        case .success(let found): listed = found.filter { !$0.name.hasPrefix(".") }.sorted { $0.name < $1.name }
        case .failure(let error): throw InputError(path: path, message: "cannot list directory: \(String(cString: strerror(error.code)))")
        }
        entries = listed.map(\.name)
        let root = rootPath
        // The listing's own file types answer for almost every entry: no stat per file.
        sqlFiles = listed.filter { entry in
            entry.name.hasSuffix(".sql") && !(entry.isDirectory ?? (Self.kind(ofPath: Self.join(root, entry.name)) == .directory))
        }.map(\.name)
    }

    /// The entries of a directory, each with whether readdir says it is a directory: nil when
    /// it cannot say (a symbolic link, or a file system that does not report types), which
    /// `stat` then decides.
    private static func list(_ path: String) -> Result<[(name: String, isDirectory: Bool?)], SystemCallError> {
        guard let directory = opendir(path) else { return .failure(SystemCallError(code: errno)) }
        defer { closedir(directory) }
        var result: [(name: String, isDirectory: Bool?)] = []
        errno = 0
        while let entry = readdir(directory) {
            // Read where it is: `entry.pointee.d_name` would copy all 256 bytes of the field, and
            // a record is only as long as its name (the last one of readdir's buffer ends there).
            guard let field = entry.pointer(to: \.d_name) else { continue }
            let name = String(cString: UnsafeRawPointer(field).assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." { continue }
            let type = Int32(entry.pointee.d_type)
            result.append((name, type == DT_DIR ? true : type == DT_UNKNOWN || type == DT_LNK ? nil : false))
        }
        if errno != 0 { return .failure(SystemCallError(code: errno)) }
        return .success(result)
    }

    func displayPath(_ relative: String) -> String { displayRoot + "/" + relative }

    /// The file system path of an entry below the root.
    func path(_ relative: String) -> String { relative.isEmpty ? rootPath : Self.join(rootPath, relative) }

    private static func join(_ root: String, _ relative: String) -> String { root == "/" ? "/" + relative : root + "/" + relative }

    enum EntryKind { case regular, directory, other, missing }

    /// What an entry is once symbolic links are followed (a dangling link is `missing`).
    /// FIFOs and devices are `other`: reading one could block forever.
    func kind(_ relative: String) -> EntryKind { Self.kind(ofPath: path(relative)) }

    private static func kind(ofPath path: String) -> EntryKind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    func isDirectory(_ relative: String) -> Bool { kind(relative) == .directory }

    /// How many `.sql` entries a folder holds (not recursive); 0 when it cannot be listed.
    static func sqlFileCount(inFolder path: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }.count
    }

    func isRegularFile(_ relative: String) -> Bool { kind(relative) == .regular }

    /// Every regular file below the root (Flyway scans locations recursively), skipping
    /// hidden directories and not following symbolic-link loops.
    func recursiveFiles() -> [String] {
        var result: [String] = []
        var visited = Set<String>()
        func walk(_ relative: String, depth: Int) {
            let directory = path(relative)
            guard depth < 32, let resolved = realpath(directory, nil) else { return }
            defer { free(resolved) }
            guard visited.insert(String(cString: resolved)).inserted,
                  let children = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
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
        let root = rootPath
        let results = relatives.concurrentMap { try? Self.readRegularFile(root == "/" ? "/" + $0 : root + "/" + $0).get() }
        for (relative, contents) in zip(relatives, results) { if let contents { prefetched.store(contents, for: relative) } }
    }

    func read(_ relative: String) -> Result<[UInt8], InputError> {
        if let contents = prefetched.take(relative) { return .success(contents) }
        return Self.readRegularFile(path(relative)).mapError { InputError(path: displayPath(relative), message: $0.message) }
    }

    struct ReadFailure: Error {
        var message: String
    }

    /// The file's bytes (up to `limit`), or why it cannot be read. Only regular files are
    /// read; `O_NONBLOCK` keeps a FIFO swapped in after the directory listing from blocking.
    static func readRegularFile(_ path: String, limit: Int = .max) -> Result<[UInt8], ReadFailure> {
        func failure(_ code: Int32) -> Result<[UInt8], ReadFailure> {
            .failure(ReadFailure(message: code == ENOENT ? "cannot read file: it does not exist (a dangling symbolic link?)"
                : "cannot read file (\(String(cString: strerror(code))))"))
        }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return failure(errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return failure(errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return .failure(ReadFailure(message: "not a regular file (a FIFO, socket or device); Steward does not read it"))
        }
        return readContents(of: descriptor, sizeHint: Int(status.st_size), limit: limit).flatMapError { failure($0.code) }
    }

    /// The first bytes of a file, for layout detection.
    func peek(_ relative: String, bytes: Int = 4096) -> String {
        guard case .success(let contents) = Self.readRegularFile(path(relative), limit: bytes) else { return "" }
        return String(decoding: contents, as: UTF8.self)
    }
}

/// Everything left to read from an open file (up to `limit` bytes), or why the read failed.
/// The size is only a hint (one spare byte sees the end in the same pass): a file that
/// changes while being read is read to its actual end.
func readContents(of descriptor: Int32, sizeHint: Int, limit: Int = .max) -> Result<[UInt8], SystemCallError> {
    var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(limit, max(sizeHint, 0) + 1), alignment: 1)
    defer { buffer.deallocate() }
    var length = 0
    while length < limit {
        if length == buffer.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: min(limit, buffer.count * 2), alignment: 1)
            larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
            buffer.deallocate()
            buffer = larger
        }
        let count = read(descriptor, buffer.baseAddress! + length, buffer.count - length)
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            return .failure(SystemCallError(code: errno))
        }
        length += count
    }
    return .success(Array(buffer[0..<length]))
}

/// An `errno` from a failed system call.
struct SystemCallError: Error {
    var code: Int32
}

/// Blanks a byte range while keeping line breaks, so offsets and line numbers still match the file.
func blank(_ bytes: inout [UInt8], _ range: Range<Int>) {
    for index in range where bytes[index] != UInt8(ascii: "\n") && bytes[index] != UInt8(ascii: "\r") {
        bytes[index] = UInt8(ascii: " ")
    }
}

/// Lines of a file as byte ranges (without the `\n`).
/// Whether `bytes` hold `byte`, found with `memchr`: migrations are scanned for a backslash or a
/// colon before anything else, and a byte-by-byte `contains` over a large corpus cost ~20 ms.
func containsByte(_ bytes: [UInt8], _ byte: UInt8) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return false }
        return memchr(base, Int32(byte), buffer.count) != nil
    }
}

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
