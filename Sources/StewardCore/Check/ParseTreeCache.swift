import Foundation
#if canImport(Glibc)
import Glibc
#endif
import StewardSQL

/// A content-addressed cache of libpg_query parse trees, one entry per parsed file (or chunk
/// of a huge file), so that a run where a few migrations changed parses only those.
///
/// Entries are libpg_query's own serialized (protobuf) trees: parsing and serializing is most
/// of the cost of a cold run, while unpacking a stored tree is cheap. The key covers the
/// parsed bytes and the grammar (`ResultCache.formatVersion`), never the path, so a renamed
/// or moved migration still hits. Each entry carries a checksum; a damaged or truncated entry
/// is a miss, never a wrong tree. Writes go through a temporary file and a rename, so
/// concurrent runs sharing the directory only ever see whole entries.
public struct ParseTreeCache: Sendable {
    public let directory: String
    private static let magic: [UInt8] = Array("STWTREE1".utf8)
    /// A hit marks its entry as used (its mtime) at most this often, in seconds…
    private static let refreshInterval = 24 * 60 * 60
    /// …and entries unused for this long are pruned (see `prune`).
    private static let retention = 30 * 24 * 60 * 60

    public init(directory: String) { self.directory = directory }

    func key(for bytes: ArraySlice<UInt8>) -> String {
        var hasher = ContentHasher()
        hasher.add(ResultCache.formatVersion)
        hasher.add(bytes)
        return hasher.hexDigest
    }

    private func path(_ key: String) -> String { directory + "/" + key + ".tree" }

    /// The stored tree, or nil when there is none or it does not pass its checksum. A hit
    /// refreshes the entry's modification time (at most daily), which `prune` reads as "in use".
    func load(_ key: String) -> [UInt8]? {
        let descriptor = open(path(key), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              case .success(let bytes) = readContents(of: descriptor, sizeHint: Int(status.st_size)),
              bytes.count >= 16, bytes[0..<8].elementsEqual(Self.magic) else { return nil }
        let stored = bytes[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let tree = Array(bytes[16...])
        guard Self.checksum(tree) == stored else { return nil }
        if time(nil) - status.st_mtim.tv_sec > Self.refreshInterval { futimens(descriptor, nil) }
        return tree
    }

    /// Best effort: a tree that cannot be stored is parsed again next time.
    func store(_ tree: [UInt8], key: String) {
        var entry = Self.magic
        entry.reserveCapacity(16 + tree.count)
        var checksum = Self.checksum(tree)
        for _ in 0..<8 {
            entry.append(UInt8(truncatingIfNeeded: checksum))
            checksum >>= 8
        }
        entry += tree
        let temporary = path(key) + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        let written = entry.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        close(descriptor)
        if !written || rename(temporary, path(key)) != 0 { unlink(temporary) }
    }

    /// Bounds the directory without hurting other checkouts that share it: when it holds
    /// clearly more entries than this run used, entries nobody has used for 30 days go, and
    /// so do temporary files that a crashed run left behind.
    func prune(keeping used: Set<String>) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory),
              names.count > 2 * used.count + 256 else { return }
        let now = time(nil)
        for name in names {
            if name.hasSuffix(".tree"), used.contains(String(name.dropLast(".tree".count))) { continue }
            var status = stat()
            guard stat(directory + "/" + name, &status) == 0 else { continue }
            let age = now - status.st_mtim.tv_sec
            if age > Self.retention || (!name.hasSuffix(".tree") && age > 60 * 60) { unlink(directory + "/" + name) }
        }
    }

    /// Entries are checked against accidental damage, not tampering.
    private static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var hasher = ContentHasher()
        hasher.add(bytes)
        return hasher.checksum
    }

    /// Statements of `range`, from the cache when it holds their tree, else parsed (and stored).
    /// Results are identical either way; only successful parses are stored.
    func parse(_ source: SourceText, range: Range<Int>, key: String) -> Result<[ParsedStatement], SyntaxError> {
        if let tree = load(key), case .success(let statements) = SQLParser.parse(serializedTree: tree, source: source, range: range) {
            return .success(statements)
        }
        switch SQLParser.serializedTree(source, range: range) {
        case .failure(let error):
            return .failure(error)
        case .success(let tree):
            let statements = SQLParser.parse(serializedTree: tree, source: source, range: range)
            if case .success = statements { store(tree, key: key) }
            return statements
        }
    }
}
