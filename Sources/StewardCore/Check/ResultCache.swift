import Crypto
import Foundation
import StewardSQL

/// A content-addressed cache of `steward check` results.
///
/// There is no per-file layer below it: PostgreSQL's raw parser and the conversion of its tree
/// take less time than reading and decoding stored trees did (docs/benchmarks.md), so a run
/// whose inputs changed parses everything again. The `trees/` directory that earlier
/// versions wrote, and their JSON entries, are removed when the cache is next written.
///
/// The key covers everything a finding can depend on: Steward's version, the libpg_query
/// grammar, the layout, every migration's path and bytes in apply order, the manifest's
/// path and bytes, and the options. An unchanged input therefore skips parsing, replay
/// and rules entirely; any change misses. The directory is safe to delete at any time and
/// carries its own `.gitignore`.
public struct ResultCache: Sendable {
    public let directory: URL
    /// Identifies the build that writes the entries (the CLI passes its executable's size and
    /// modification time): a rebuilt Steward, whose rules may have changed, never reads a
    /// finding an earlier build stored.
    public let toolIdentity: String
    /// Steward's version and cache format, and the grammar: any change invalidates every entry.
    static let formatVersion = "steward-0.1.0/cache-6/" + SQLParser.grammarVersion
    /// Entries are `<key>.findings`: a digest line, then the findings (`FindingArchive`).
    static let entryExtension = "findings"

    public init(directory: URL, toolIdentity: String = "") {
        self.directory = directory
        self.toolIdentity = toolIdentity
    }

    /// `STEWARD_CACHE_DIR`, else `$XDG_CACHE_HOME/steward`, else `~/.cache/steward`.
    public static func defaultDirectory(environment: [String: String], home: URL) -> URL {
        if let explicit = environment["STEWARD_CACHE_DIR"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("steward") }
        return home.appendingPathComponent(".cache/steward")
    }

    struct Entry {
        var findings: [Finding]
        var statementCount: Int
    }

    static func key(migrations: MigrationSet, manifest: OwnershipManifest?, queries: QuerySet = .none, options: AnalysisOptions,
                    history: MigrationHistory?) -> String {
        var hasher = ContentHasher()
        hasher.add(formatVersion)
        hasher.add(options.cache?.toolIdentity ?? "")
        hasher.add(migrations.layout.rawValue)
        hasher.add(options.showAllowed ? "allowed" : "-")
        // The rule set and how it is configured: a new, changed or reconfigured rule misses.
        for rule in RuleRegistry.all {
            let descriptor = rule.descriptor
            hasher.add("\(descriptor.id)/\(descriptor.defaultSeverity.rawValue)/\(descriptor.enabledByDefault)")
        }
        hasher.add(options.configuration.canonicalText)
        hasher.add("pg\(options.postgresVersion)")
        if let history {
            hasher.add("since \(history.baseCommit) \(history.manifestChanged)")
            for path in history.added.sorted() { hasher.add("+" + path) }
            for path in history.modified.sorted() { hasher.add("~" + path) }
        }
        for file in migrations.files {
            hasher.add(file.path)
            hasher.add(file.transaction.rawValue)
            hasher.add(file.original.bytes)
        }
        for gap in migrations.gaps { hasher.add(gap.path) }
        for finding in migrations.findings { hasher.add(finding.message) }
        if let manifest {
            hasher.add(manifest.path)
            hasher.add(manifest.source.bytes)
        }
        // The services' query files: a changed query changes what it reads and writes.
        for file in queries.files {
            hasher.add("query " + file.path)
            hasher.add(file.source.bytes)
        }
        for finding in queries.findings { hasher.add(finding.message) }
        return hasher.hexDigest
    }

    /// The entry stored under `key`, or nil. An entry is its payload's SHA-256 (hex) on the first
    /// line, then the payload: a damaged file (a flipped bit, a cut-short write, another
    /// program's bytes) fails the digest and is a miss, never a wrong answer.
    func load(_ key: String) -> Entry? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(key + "." + Self.entryExtension)),
              let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let payload = data[data.index(after: newline)...]
        guard data[data.startIndex..<newline].elementsEqual(Self.digest(of: payload).utf8),
              let decoded = payload.withUnsafeBytes({ FindingArchive.decode($0) }) else { return nil }
        return Entry(findings: decoded.findings, statementCount: decoded.statementCount)
    }

    /// `store` on another thread, so that writing the entry overlaps with printing the report.
    /// Call `wait()` on the result before the process exits.
    func storeInBackground(_ entry: Entry, key: String) -> PendingWrite {
        let pending = PendingWrite()
        DispatchQueue.global().async(group: pending.group) { store(entry, key: key) }
        return pending
    }

    /// An entry being written (see `storeInBackground`).
    public final class PendingWrite: Sendable {
        let group = DispatchGroup()

        /// Returns once the entry is written (or could not be: the cache is best effort).
        public func wait() { group.wait() }
    }

    /// Best effort: a cache that cannot be written only costs speed.
    func store(_ entry: Entry, key: String) {
        guard prepare() else { return }
        let payload = Data(FindingArchive.encode(entry.findings, statementCount: entry.statementCount))
        var data = Data(Self.digest(of: payload).utf8)
        data.append(UInt8(ascii: "\n"))
        data.append(payload)
        try? data.write(to: directory.appendingPathComponent(key + "." + Self.entryExtension), options: .atomic)
    }

    static func digest(of payload: Data) -> String {
        SHA256.hash(data: payload).map { String(format: "%02x", $0) }.joined()
    }

    /// Creates the directory with a `.gitignore` of its own, so that a cache inside a
    /// repository is never committed.
    private func prepare() -> Bool {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let ignore = directory.appendingPathComponent(".gitignore")
            if !FileManager.default.fileExists(atPath: ignore.path) { try Data("*\n".utf8).write(to: ignore) }
            // The per-file parse-tree layer of earlier versions (cache-4 and before), and their
            // JSON entries (cache-5 and before), which no key of this version can name.
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("trees"))
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasSuffix(".json") {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
            return true
        } catch {
            return false
        }
    }
}

/// SHA-256 over length-delimited parts. Cache entries are keyed by it: a cache directory
/// shared by CI jobs is a trust boundary, and a crafted migration must not be able to
/// collide with the key of a clean result.
struct ContentHasher {
    private var sha = SHA256()

    mutating func add(_ bytes: [UInt8]) { add(bytes[...]) }

    mutating func add(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { sha.update(bufferPointer: $0) }
        // Length-delimit so that ("ab", "c") and ("a", "bc") differ.
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { sha.update(bufferPointer: $0) }
    }

    mutating func add(_ text: String) { add(Array(text.utf8)) }

    var hexDigest: String { sha.finalize().map { String(format: "%02x", $0) }.joined() }

    /// The first 64 bits of the digest: a checksum against accidental damage of an entry.
    var checksum: UInt64 { sha.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
}
